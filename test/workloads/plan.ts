/**
 * The plan the workload tests hold against real parts: one organization with two Hyperfy
 * worlds named alike (`world`, `world-2`), two eliza agents with databases of their own and a
 * custom app with a schema and storage, evaluated by the real program under the mock runtime.
 */
import type { Evaluation, RecordedResource } from "../../render/evaluate";
import { evaluate } from "../support/harness";

export const workloadCatalog = `organization: acme
domain: acme.example.com
apps:
  - name: world
    type: hyperfy2
    image: ghcr.io/numengames/numinia-hyperfy2:1.4.2
  - name: world-2
    type: hyperfy2
    image: ghcr.io/numengames/numinia-hyperfy2:1.4.2
  - name: agent
    type: eliza
    image: ghcr.io/numengames/eliza-agent:0.9.3
    database: true
  - name: agent-2
    type: eliza
    image: ghcr.io/numengames/eliza-agent:0.9.3
    database: true
  - name: api
    type: custom
    image: ghcr.io/acme/api:1.0.0
    port: 8080
    database: true
    storage: true
`;

let evaluation: Promise<Evaluation> | undefined;

/** The pro stack's evaluation of the workload catalog, computed once. */
export function workloadPlan(): Promise<Evaluation> {
    evaluation ??= evaluate("pro", { catalog: { "acme.yaml": workloadCatalog } });
    return evaluation;
}

/** The resources of `type` under app `app` (`acme/<app>/...`). */
export const ofApp = (ev: Evaluation, app: string, type: string): RecordedResource[] =>
    ev.resources.filter((r) => r.type === type && r.name.startsWith(`acme/${app}/`));

/** The app's secret as the SecretVersion writes it, values in the clear (tests only). */
export function secretOf(ev: Evaluation, app: string): Record<string, string> {
    const [version] = ofApp(ev, app, "aws:secretsmanager/secretVersion:SecretVersion");
    if (version === undefined) throw new Error(`no secret version for ${app}`);
    return JSON.parse(String(version.inputs.secretString)) as Record<string, string>;
}

export const types = {
    role: "postgresql:index/role:Role",
    schema: "postgresql:index/schema:Schema",
    grant: "postgresql:index/grant:Grant",
    database: "postgresql:index/database:Database",
} as const;
