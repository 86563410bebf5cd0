import { expect } from "chai";
import { configFromPulumi, resolveCredentials } from "../../provider/credentials/resolution";
import { CHAIN_VARIABLES, cleanEnvironment, isolatedChain } from "../support/environment";
import { rejection } from "../support/failures";

const SECRET = "s3cr3t-never-print";
const TOKEN = "sts-token-never-print";

describe("credentials", () => {
    cleanEnvironment(CHAIN_VARIABLES, isolatedChain);

    describe("configFromPulumi", () => {
        it("reads the alicloud keys the way the dynamic provider's config holds them", async () => {
            const { Config } = await import("@pulumi/pulumi/cmd/dynamic-provider/config");
            const config = new Config(
                {
                    "alicloud:accessKey": "AK1",
                    "alicloud:secretKey": SECRET,
                    "alicloud:securityToken": TOKEN,
                    "alicloud:region": "cn-shanghai",
                    "myproject:other": "x",
                },
                "myproject",
            );
            expect(configFromPulumi(config)).to.deep.equal({
                accessKey: "AK1",
                secretKey: SECRET,
                securityToken: TOKEN,
                region: "cn-shanghai",
            });
        });

        it("leaves out keys that are absent or blank", () => {
            const values: Record<string, string> = { "alicloud:region": "cn-hangzhou", "alicloud:accessKey": "  " };
            expect(configFromPulumi({ get: (key) => values[key] })).to.deep.equal({ region: "cn-hangzhou" });
        });
    });

    describe("resolveCredentials", () => {
        const env = {
            ALICLOUD_ACCESS_KEY: "AK-env",
            ALICLOUD_SECRET_KEY: "SK-env",
            ALICLOUD_SECURITY_TOKEN: "TOKEN-env",
        };

        it("prefers Pulumi config", async () => {
            process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = "AK-chain";
            process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "SK-chain";
            const resolved = await resolveCredentials({ accessKey: "AK-config", secretKey: "SK-config" }, env);
            expect(resolved).to.deep.equal({
                accessKeyId: "AK-config",
                accessKeySecret: "SK-config",
                source: "Pulumi config (alicloud:accessKey)",
            });
        });

        it("then the ALICLOUD_* variables, token included", async () => {
            process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = "AK-chain";
            process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "SK-chain";
            const resolved = await resolveCredentials({ region: "cn-hangzhou" }, env);
            expect(resolved).to.deep.equal({
                accessKeyId: "AK-env",
                accessKeySecret: "SK-env",
                securityToken: "TOKEN-env",
                source: "environment (ALICLOUD_ACCESS_KEY)",
            });
        });

        it("then the default credential chain", async () => {
            process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = "AK-chain";
            process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "SK-chain";
            process.env.ALIBABA_CLOUD_SECURITY_TOKEN = "TOKEN-chain";
            const resolved = await resolveCredentials({}, {});
            expect(resolved.accessKeyId).to.equal("AK-chain");
            expect(resolved.accessKeySecret).to.equal("SK-chain");
            expect(resolved.securityToken).to.equal("TOKEN-chain");
            expect(resolved.source).to.match(/^the Alibaba Cloud default credential chain \(default\/env\)$/);
        });

        it("with nothing anywhere, lists every way to provide credentials", async () => {
            const err = await rejection(resolveCredentials({}, { ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true" }));
            for (const way of [
                "alicloud:accessKey",
                "alicloud:secretKey",
                "alicloud:securityToken",
                "ALICLOUD_ACCESS_KEY",
                "ALICLOUD_SECRET_KEY",
                "ALICLOUD_SECURITY_TOKEN",
                "ALIBABA_CLOUD_ACCESS_KEY_ID",
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                "ALIBABA_CLOUD_ROLE_ARN",
                "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
                "~/.aliyun/config.json",
                "ALIBABA_CLOUD_PROFILE",
                "~/.alibabacloud/credentials",
                "ECS RAM role",
                "disabled here by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true",
                "ALIBABA_CLOUD_CREDENTIALS_URI",
            ]) {
                expect(err.message).to.include(way);
            }
        });

        it("names the missing half of a pair, without echoing the half that is set", async () => {
            const noSecret = await rejection(resolveCredentials({ accessKey: "AK-config" }, env));
            expect(noSecret.message).to.include("alicloud:secretKey").and.include("alicloud:accessKey");

            const noKey = await rejection(resolveCredentials({ secretKey: SECRET }, {}));
            expect(noKey.message).to.include("alicloud:accessKey");
            expect(noKey.message).to.not.include(SECRET);

            const envNoKey = await rejection(
                resolveCredentials({}, { ALICLOUD_SECRET_KEY: SECRET, ALICLOUD_SECURITY_TOKEN: TOKEN }),
            );
            expect(envNoKey.message).to.include("ALICLOUD_ACCESS_KEY");
            expect(envNoKey.message).to.not.include(SECRET).and.not.include(TOKEN);

            const tokenOnly = await rejection(resolveCredentials({ securityToken: TOKEN }, env));
            expect(tokenOnly.message).to.include("alicloud:securityToken");
            expect(tokenOnly.message).to.not.include(TOKEN);
        });

        it("never echoes a secret the chain could not use", async () => {
            process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = SECRET;
            const err = await rejection(resolveCredentials({}, {}));
            expect(err.message).to.not.include(SECRET);
            expect(err.message).to.include("No Alibaba Cloud credentials found");
        });
    });
});
