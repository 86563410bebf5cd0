/** A goal of issue #5 and whether this run met it. */
export interface Goal {
    part: "wait" | "preview" | "fleet";
    goal: string;
    measured: string;
    /** undefined: not measured in this run. */
    pass: boolean | undefined;
}
