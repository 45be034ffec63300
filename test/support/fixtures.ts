/** Platform configs and catalog snippets for pure tests. */
import { parsePlatformConfig, rawPlatformConfigOf, type PlatformConfig } from "../../model/config";
import { readStackConfig } from "../../model/stackConfig";
import { fixtureConfigFile } from "./harness";

/** The raw `tenant-apps:*` values of a stack's fixture config file, as `parsePlatformConfig` takes them. */
export function rawConfigOf(stack: "pre" | "pro"): Record<string, unknown> {
    const { config } = readStackConfig(fixtureConfigFile(stack));
    return rawPlatformConfigOf((key) => config[key], Object.keys(config)).values;
}

/** The fixture platform config of a stack, with top-level keys replaced. */
export function platformOf(stack: "pre" | "pro", overrides: Record<string, unknown> = {}): PlatformConfig {
    return parsePlatformConfig(stack, { ...rawConfigOf(stack), ...overrides });
}

/** A one-app catalog file for organization `org`, with the app's YAML lines given. */
export function oneApp(org: string, appYaml: string, extra = ""): string {
    return `organization: ${org}\ndomain: ${org}.example.com\n${extra}apps:\n${appYaml
        .trim()
        .split("\n")
        .map((line, i) => (i === 0 ? `  - ${line}` : `    ${line}`))
        .join("\n")}\n`;
}
