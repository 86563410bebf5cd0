#!/usr/bin/env node
/**
 * The package's command (package.json `bin`):
 *
 *   npx pulumi-alicloud-vpn-attachment-attribute adopt vco-... --region cn-hangzhou
 *   npx pulumi-alicloud-vpn-attachment-attribute emulator --port 0 --seed connections.json
 *
 * `adopt` prints a declaration matching an existing connection (adopt.ts);
 * `emulator` serves the VPC API offline, for running programs against it.
 */
import { ADOPT_USAGE, runAdoptCommand } from "./adopt";
import { runEmulatorCommand } from "../emulator/main";

const COMMAND = "pulumi-alicloud-vpn-attachment-attribute";
const USAGE = `usage: ${COMMAND} emulator [--port N] [--seed FILE] [--state-file FILE] [--task-duration-ms MS]
                [--access-key-id ID] [--access-key-secret SECRET] [--security-token TOKEN]
  Serves the Alibaba Cloud VPC API for IPsec-VPN connections on 127.0.0.1 and prints one JSON
  line: {"endpoint", "port", "accessKeyId", "accessKeySecret"}. Point the provider at it with
  ALICLOUD_VPC_ENDPOINT=<endpoint> and ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY set to that pair.
${ADOPT_USAGE}`;

const [command, ...rest] = process.argv.slice(2);
if (command === "emulator") {
    runEmulatorCommand(rest);
} else if (command === "adopt") {
    runAdoptCommand(rest);
} else if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(USAGE);
} else {
    process.stderr.write(`${COMMAND}: unknown command ${command}\n${USAGE}`);
    process.exit(2);
}
