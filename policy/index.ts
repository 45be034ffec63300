/**
 * Entry point of the tenant-apps CrossGuard policy pack. The Pulumi CLI runs it with
 * `pulumi preview --policy-pack policy [--policy-pack-config policy/config.<stack>.json]`
 * after `npm run build` (policy/package.json points `main` at the compiled file).
 * Constructing the pack starts the analyzer server, so tests import `./policies` instead.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("tenant-apps", {
    description: "Guardrails of tenant-apps: least privilege, TLS, quotas, pinned images and no data loss in pro.",
    enforcementLevel: "mandatory",
    policies,
});
