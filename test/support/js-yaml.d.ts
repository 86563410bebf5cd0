/** The part of js-yaml (which ships no types) that the suites use. */
declare module "js-yaml" {
    export function load(text: string): unknown;
}
