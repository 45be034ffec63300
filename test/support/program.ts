/** The sample stacks evaluated under the mock runtime, shared by the program tests. */
import type { Evaluation, RecordedResource } from "../../render/evaluate";
import { evaluate } from "./harness";

export const issuer = "oidc.eks.eu-west-1.amazonaws.com/id/6A1F93C2B0E84D7F9C11E2A5B3D40F87";
export const providerArn = `arn:aws:iam::482103417651:oidc-provider/${issuer}`;
export const aiApiKey = "sk-test-4b1d2c3e-ai-key-never-printed";
export const livekitSecret = "lk-secret-9f8e7d6c-never-printed";

export const json = <T>(r: RecordedResource, key: string): T => JSON.parse(String(r.inputs[key])) as T;
export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Resources of one app (logical names start with `org/app/`). */
export const ofApp = (ev: Evaluation, app: string) => ev.resources.filter((r) => r.name.startsWith(`${app}/`));

/** The fixture pro stack with a few secret config values set, and the fixture pre stack. */
export async function evaluateSamples(): Promise<{ pro: Evaluation; pre: Evaluation }> {
    const pro = await evaluate("pro", {
        config: {
            "tenant-apps:aiApiKey": aiApiKey,
            "tenant-apps:livekitApiSecret": livekitSecret,
            "tenant-apps:aiProvider": "anthropic",
        },
        secretKeys: ["tenant-apps:aiApiKey", "tenant-apps:livekitApiSecret", "tenant-apps:aiProvider"],
    });
    return { pro, pre: await evaluate("pre") };
}
