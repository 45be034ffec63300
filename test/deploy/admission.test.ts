/**
 * deploy/admission.yaml, the policy that confines each stack's workspace to the namespaces the
 * program owns: its objects are valid Kubernetes objects, every CEL expression parses, the
 * program's own writes (every Kubernetes object both live stacks register, created, updated and
 * deleted) are allowed, and every escalation the cluster-wide RBAC would allow is refused.
 */
import { strict as assert } from "node:assert";
import { parse } from "@bufbuild/cel";
import { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from "kubernetes-models/admissionregistration.k8s.io/v1";
import { managedByLabel } from "../../model/rules";
import { namespaceEnvironmentLabel } from "../../model/manifests";
import { admit, expressionsOf, type AdmissionRequest, type PolicySpec } from "./admissionPolicy";
import { allObjects, envs, evaluateLive, listed, objectsOf, type Env, type Json } from "./support";

const policyObject = () => objectsOf("admission.yaml").find((o) => o.kind === "ValidatingAdmissionPolicy");
const policy = (): PolicySpec => policyObject()?.spec as unknown as PolicySpec;
const workspace = (env: Env) => `system:serviceaccount:flux-system:tenant-apps-${env}`;

type Obj = Record<string, unknown>;
const namespace = (name: string, labels: Record<string, string> = {}): Obj => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, labels: { "kubernetes.io/metadata.name": name, ...labels } },
});
const owned = (env: Env) => ({ [managedByLabel.key]: managedByLabel.value, [namespaceEnvironmentLabel]: env });
const kubeSystem = namespace("kube-system");
const fluxSystem = namespace("flux-system");
/** A tenant namespace of each environment, as the program labels it. */
const acme = (env: Env) => namespace(`acme-${env}`, { ...owned(env), "app.kubernetes.io/part-of": "acme" });

/** The plural resource name the API serves a kind under. */
const resourceOf = (kind: string): string => {
    const lower = kind.toLowerCase();
    return lower.endsWith("y") ? `${lower.slice(0, -1)}ies` : `${lower}s`;
};

/** Create, update and delete of every Kubernetes object a live stack registers, by its workspace. */
async function programWrites(env: Env): Promise<{ label: string; request: AdmissionRequest }[]> {
    const objects = (await evaluateLive(env)).resources
        .map((r) => /^kubernetes:([^/]+)\/[^:]+:\w+$/.exec(r.type) && { group: RegExp.$1 === "core" ? "" : RegExp.$1, object: r.inputs })
        .filter((x): x is { group: string; object: Obj } => Boolean(x));
    const namespaces = new Map(
        objects.filter((o) => o.object.kind === "Namespace").map((o) => [(o.object.metadata as Json).name, o.object]),
    );
    return objects.flatMap(({ group, object }) => {
        const metadata = object.metadata as { name: string; namespace?: string };
        const base = {
            username: workspace(env),
            group,
            resource: resourceOf(object.kind as string),
            namespace: object.kind === "Namespace" ? "" : (metadata.namespace ?? ""),
            name: metadata.name,
            namespaceObject: metadata.namespace !== undefined ? (namespaces.get(metadata.namespace) ?? null) : null,
        };
        const label = `${env} ${String(object.kind)} ${metadata.namespace ?? ""}/${metadata.name}`;
        return [
            { label: `${label} create`, request: { ...base, operation: "CREATE" as const, object, oldObject: null } },
            { label: `${label} update`, request: { ...base, operation: "UPDATE" as const, object, oldObject: object } },
            { label: `${label} delete`, request: { ...base, operation: "DELETE" as const, object: null, oldObject: object } },
        ];
    });
}

/** What today's ClusterRole (bound cluster-wide) lets a workspace do, as RBAC decides it. */
function rbacAllows(verb: string, group: string, resource: string): boolean {
    const role = allObjects().find((o) => o.kind === "ClusterRole" && o.metadata.name === "tenant-apps-chain");
    return (role?.rules ?? []).some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
}

const req = (
    partial: Partial<AdmissionRequest> & Pick<AdmissionRequest, "operation" | "group" | "resource" | "name">,
): AdmissionRequest => ({
    username: workspace("pro"),
    namespace: "",
    object: null,
    oldObject: null,
    namespaceObject: null,
    ...partial,
});
const inNamespace = (ns: Obj) => ({ namespace: (ns.metadata as Json).name as string, namespaceObject: ns });
const ksvc = (serviceAccountName?: string): Obj => ({
    apiVersion: "serving.knative.dev/v1",
    kind: "Service",
    metadata: { name: "x", labels: { [managedByLabel.key]: managedByLabel.value } },
    spec: { template: { spec: { ...(serviceAccountName ? { serviceAccountName } : {}), containers: [{ image: "evil" }] } } },
});
const awsAuth: Obj = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "aws-auth", namespace: "kube-system" },
    data: { mapRoles: "[]" },
};
const serviceAccount = (name: string, labels: Record<string, string>): Obj => ({
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name, labels, annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::482103417651:role/anything" } },
});
const externalSecret = (spec: Obj): Obj => ({
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: { name: "x" },
    spec,
});

/** Every escalation, with why it matters and the literal refusal the workspace gets. */
const escalations: { reason: string; request: AdmissionRequest; message: string }[] = [
    {
        reason: "kube-system/aws-auth maps IAM roles to Kubernetes groups (system:masters)",
        request: req({
            operation: "UPDATE",
            group: "",
            resource: "configmaps",
            name: "aws-auth",
            ...inNamespace(kubeSystem),
            object: awsAuth,
            oldObject: awsAuth,
        }),
        message:
            "tenant-apps-pro may write configmaps only in namespaces labelled app.kubernetes.io/managed-by=tenant-apps and tenant-apps/environment=pro, not in namespace kube-system",
    },
    {
        reason: "a KNative Service in flux-system could run as kustomize-controller, bound to cluster-admin",
        request: req({
            operation: "CREATE",
            group: "serving.knative.dev",
            resource: "services",
            name: "x",
            ...inNamespace(fluxSystem),
            object: ksvc("kustomize-controller"),
        }),
        message:
            "tenant-apps-pro may write services only in namespaces labelled app.kubernetes.io/managed-by=tenant-apps and tenant-apps/environment=pro, not in namespace flux-system",
    },
    {
        reason: "a service account in flux-system is a foothold next to the platform's controllers",
        request: req({
            operation: "CREATE",
            group: "",
            resource: "serviceaccounts",
            name: "x",
            ...inNamespace(fluxSystem),
            object: serviceAccount("x", owned("pro")),
        }),
        message:
            "tenant-apps-pro may write serviceaccounts only in namespaces labelled app.kubernetes.io/managed-by=tenant-apps and tenant-apps/environment=pro, not in namespace flux-system",
    },
    {
        reason: "labelling kube-system as managed would open it to the workspace",
        request: req({
            operation: "UPDATE",
            group: "",
            resource: "namespaces",
            name: "kube-system",
            oldObject: kubeSystem,
            object: namespace("kube-system", owned("pro")),
        }),
        message: "namespace kube-system is not managed by tenant-apps-pro: only a cluster administrator can hand it over by labelling it",
    },
    {
        reason: "removing the label from a tenant namespace",
        request: req({
            operation: "UPDATE",
            group: "",
            resource: "namespaces",
            name: "acme-pro",
            oldObject: acme("pro"),
            object: namespace("acme-pro"),
        }),
        message: "namespace acme-pro must keep app.kubernetes.io/managed-by=tenant-apps and tenant-apps/environment=pro",
    },
    {
        reason: "pro handing one of its namespaces to pre",
        request: req({
            operation: "UPDATE",
            group: "",
            resource: "namespaces",
            name: "acme-pro",
            oldObject: acme("pro"),
            object: namespace("acme-pro", owned("pre")),
        }),
        message: "namespace acme-pro must keep app.kubernetes.io/managed-by=tenant-apps and tenant-apps/environment=pro",
    },
    {
        reason: "pre writing in a pro namespace",
        request: req({
            username: workspace("pre"),
            operation: "CREATE",
            group: "",
            resource: "configmaps",
            name: "x",
            ...inNamespace(acme("pro")),
            object: { metadata: { name: "x" } },
        }),
        message:
            "tenant-apps-pre may write configmaps only in namespaces labelled app.kubernetes.io/managed-by=tenant-apps and tenant-apps/environment=pre, not in namespace acme-pro",
    },
    {
        reason: "pre deleting a pro namespace",
        request: req({
            username: workspace("pre"),
            operation: "DELETE",
            group: "",
            resource: "namespaces",
            name: "acme-pro",
            oldObject: acme("pro"),
        }),
        message: "namespace acme-pro is not managed by tenant-apps-pre: only a cluster administrator can hand it over by labelling it",
    },
    {
        reason: "deleting kube-system",
        request: req({ operation: "DELETE", group: "", resource: "namespaces", name: "kube-system", oldObject: kubeSystem }),
        message: "namespace kube-system is not managed by tenant-apps-pro: only a cluster administrator can hand it over by labelling it",
    },
    {
        reason: "creating a kube-* namespace the platform may later use",
        request: req({
            operation: "CREATE",
            group: "",
            resource: "namespaces",
            name: "kube-extra",
            object: namespace("kube-extra", owned("pro")),
        }),
        message: "namespace kube-extra is reserved for the platform",
    },
    {
        reason: "creating flux-system (on a cluster being rebuilt) already labelled as managed",
        request: req({
            operation: "CREATE",
            group: "",
            resource: "namespaces",
            name: "flux-system",
            object: namespace("flux-system", owned("pro")),
        }),
        message: "namespace flux-system is reserved for the platform",
    },
    {
        reason: "a namespace without the program's labels would be out of its own reach",
        request: req({ operation: "CREATE", group: "", resource: "namespaces", name: "stray", object: namespace("stray") }),
        message: "namespace stray must keep app.kubernetes.io/managed-by=tenant-apps and tenant-apps/environment=pro",
    },
    {
        reason: "a KNative Service without an account of its own runs as the namespace's default account",
        request: req({
            operation: "CREATE",
            group: "serving.knative.dev",
            resource: "services",
            name: "x",
            ...inNamespace(acme("pro")),
            object: ksvc(),
        }),
        message: "KNative Service acme-pro/x must run as a service account of the app, not default",
    },
    {
        reason: "the default account is not the program's: an IRSA annotation on it would give every pod a role",
        request: req({
            operation: "UPDATE",
            group: "",
            resource: "serviceaccounts",
            name: "default",
            ...inNamespace(acme("pro")),
            object: serviceAccount("default", owned("pro")),
            oldObject: serviceAccount("default", {}),
        }),
        message:
            "service account acme-pro/default: the workspace writes only its own accounts (labelled app.kubernetes.io/managed-by=tenant-apps, never default)",
    },
    {
        reason: "an account without the program's label is not one the program created",
        request: req({
            operation: "CREATE",
            group: "",
            resource: "serviceaccounts",
            name: "x",
            ...inNamespace(acme("pro")),
            object: serviceAccount("x", {}),
        }),
        message:
            "service account acme-pro/x: the workspace writes only its own accounts (labelled app.kubernetes.io/managed-by=tenant-apps, never default)",
    },
    {
        reason: "a platform ClusterSecretStore reads secrets that are not the app's",
        request: req({
            operation: "CREATE",
            group: "external-secrets.io",
            resource: "externalsecrets",
            name: "x",
            ...inNamespace(acme("pro")),
            object: externalSecret({
                secretStoreRef: { name: "platform", kind: "ClusterSecretStore" },
                dataFrom: [{ extract: { key: "rds!cluster" } }],
            }),
        }),
        message: "ExternalSecret acme-pro/x may read only through a SecretStore of its own namespace",
    },
    {
        reason: "a per-entry sourceRef reaches another store the same way",
        request: req({
            operation: "CREATE",
            group: "external-secrets.io",
            resource: "externalsecrets",
            name: "x",
            ...inNamespace(acme("pro")),
            object: externalSecret({
                secretStoreRef: { name: "x", kind: "SecretStore" },
                dataFrom: [{ sourceRef: { storeRef: { name: "platform", kind: "ClusterSecretStore" } }, extract: { key: "k" } }],
            }),
        }),
        message: "ExternalSecret acme-pro/x may read only through a SecretStore of its own namespace",
    },
    {
        reason: "a cluster-scoped object (RBAC does not grant it today; the policy refuses it whatever RBAC becomes)",
        request: req({
            operation: "CREATE",
            group: "rbac.authorization.k8s.io",
            resource: "clusterrolebindings",
            name: "x",
            object: { metadata: { name: "x" }, roleRef: { name: "cluster-admin" } },
        }),
        message:
            "tenant-apps-pro may write clusterrolebindings only in namespaces labelled app.kubernetes.io/managed-by=tenant-apps and tenant-apps/environment=pro, not in cluster scope",
    },
];

describe("deploy: the admission policy confining the workspaces to the program's namespaces", () => {
    it("kustomization applies it, and its objects are valid admissionregistration.k8s.io/v1 objects whose CEL parses", () => {
        assert.ok(listed().includes("admission.yaml"));
        const objects = objectsOf("admission.yaml");
        assert.deepEqual(
            objects.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.name}`),
            [
                "admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy/tenant-apps-workspace-confinement",
                "admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding/tenant-apps-workspace-confinement",
            ],
        );
        new ValidatingAdmissionPolicy(objects[0] as unknown as ConstructorParameters<typeof ValidatingAdmissionPolicy>[0]).validate();
        new ValidatingAdmissionPolicyBinding(
            objects[1] as unknown as ConstructorParameters<typeof ValidatingAdmissionPolicyBinding>[0],
        ).validate();
        assert.deepEqual(objects[1]?.spec, { policyName: "tenant-apps-workspace-confinement", validationActions: ["Deny"] });
        assert.equal(policy().failurePolicy, "Fail");
        assert.equal(expressionsOf(policy()).length, 20);
        for (const expression of expressionsOf(policy())) assert.doesNotThrow(() => parse(expression), expression);
    });

    it("the workspaces cannot change or remove the policy: RBAC grants nothing in admissionregistration.k8s.io", () => {
        for (const verb of ["update", "patch", "delete"])
            for (const resource of ["validatingadmissionpolicies", "validatingadmissionpolicybindings"])
                assert.equal(rbacAllows(verb, "admissionregistration.k8s.io", resource), false, `${verb} ${resource}`);
    });

    for (const env of envs) {
        it(`${env}: every write of the program's own objects (create, update, delete) is allowed`, async () => {
            const writes = await programWrites(env);
            assert.ok(writes.length >= 30, `${writes.length} writes`);
            assert.deepEqual([...new Set(writes.map((w) => `${w.request.group}/${w.request.resource}`))].sort(), [
                "/configmaps",
                "/limitranges",
                "/namespaces",
                "/resourcequotas",
                "/serviceaccounts",
                "external-secrets.io/externalsecrets",
                "external-secrets.io/secretstores",
                "networking.k8s.io/networkpolicies",
                "serving.knative.dev/domainmappings",
                "serving.knative.dev/services",
            ]);
            for (const { label, request } of writes) {
                const verdict = admit(policy(), request);
                assert.deepEqual(verdict, { applies: true, allowed: true, messages: [] }, label);
            }
        });
    }

    for (const row of escalations) {
        it(`refuses: ${row.reason}`, () => {
            assert.deepEqual(admit(policy(), row.request), { applies: true, allowed: false, messages: [row.message] });
            // What the RBAC of rbac.yaml alone decides: these kinds are granted cluster-wide.
            const verb = row.request.operation.toLowerCase();
            const granted = rbacAllows(verb, row.request.group, row.request.resource);
            assert.equal(granted, row.request.resource !== "clusterrolebindings", "RBAC alone would allow it");
        });
    }

    it("applies to the two workspace accounts only: the platform's own controllers keep their rights", () => {
        const fluxWrite = req({
            username: "system:serviceaccount:flux-system:kustomize-controller",
            operation: "UPDATE",
            group: "",
            resource: "configmaps",
            name: "aws-auth",
            ...inNamespace(kubeSystem),
            object: awsAuth,
            oldObject: awsAuth,
        });
        assert.deepEqual(admit(policy(), fluxWrite), { applies: false, allowed: true, messages: [] });
        const otherStack = { ...fluxWrite, username: "system:serviceaccount:flux-system:tenant-apps-staging" };
        assert.deepEqual(admit(policy(), otherStack).applies, false);
    });
});
