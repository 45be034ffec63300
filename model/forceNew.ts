/**
 * Inputs whose change makes the provider replace a resource (delete and create, or create
 * and delete) instead of updating it in place: the ForceNew table this program relies on,
 * each row with where the provider says so. Only the types that hold data or hold a value
 * of it are listed; a resource whose type is absent is treated as updated in place. Pure.
 */
import { typeTokens } from "./typeTokens";

/** One row: which top-level inputs (or dotted paths) of a type force a replacement. */
export interface ForceNewRow {
    readonly type: string;
    /** Dotted input paths, e.g. `name` or `metadata.namespace`. */
    readonly inputs: readonly string[];
    /** Where the provider's own source says so. */
    readonly source: string;
}

/** The ForceNew inputs of the data-bearing types and of the secret's version. */
export const forceNewTable: readonly ForceNewRow[] = [
    {
        type: typeTokens.secretVersion,
        inputs: ["secretId", "secretString"],
        source: "hashicorp/terraform-provider-aws internal/service/secretsmanager/secret_version.go@0042e8e L60-64, L73-79",
    },
    {
        type: typeTokens.secret,
        inputs: ["name", "namePrefix"],
        source: "hashicorp/terraform-provider-aws internal/service/secretsmanager/secret.go@00c21ce L67-74",
    },
    {
        // `name` is not ForceNew: a rename runs ALTER SCHEMA … RENAME TO (L394-413).
        type: typeTokens.pgSchema,
        inputs: ["database"],
        source: "cyrilgdn/terraform-provider-postgresql postgresql/resource_postgresql_schema.go@ff936b9 L49-55",
    },
    {
        // `name` is not ForceNew: a rename runs ALTER ROLE … RENAME TO (L771).
        type: typeTokens.pgRole,
        inputs: [],
        source: "cyrilgdn/terraform-provider-postgresql postgresql/resource_postgresql_role.go@ff936b9",
    },
    {
        type: typeTokens.bucketObjectV2,
        inputs: ["bucket", "key"],
        source: "hashicorp/terraform-provider-aws internal/service/s3/object.go@033c721 (schema: bucket, key ForceNew)",
    },
];

/** Every Kubernetes object is replaced when its name or namespace changes. */
export const kubernetesForceNew: ForceNewRow = {
    type: "kubernetes:*",
    inputs: ["metadata.name", "metadata.namespace"],
    source: "pulumi/pulumi-kubernetes provider/pkg/provider/provider.go@9497796 L1559-1560",
};

/** The replace-triggering inputs of a type, or an empty list when it is updated in place. */
export function forceNewInputsOf(type: string): readonly string[] {
    if (type.startsWith("kubernetes:")) return kubernetesForceNew.inputs;
    return forceNewTable.find((row) => row.type === type)?.inputs ?? [];
}
