/**
 * The shape of the difference between two renders, apart from how it is computed (diff.ts) and
 * what is refused in it (renames.ts), so both read it without importing each other. Types only.
 */
import type { PlanResource } from "./plan";
import type { RiskyChange } from "./riskyChanges";

/** One changed field of a resource. */
export interface FieldChange {
    /** e.g. `spec.template.spec.containers[0].image`, `policy (JSON).Statement[0].Resource`, `(option) protect`. */
    readonly path: string;
    readonly kind: "added" | "removed" | "changed" | "secret changed";
    readonly before?: unknown;
    readonly after?: unknown;
}

export interface ResourceChange {
    readonly before: PlanResource;
    readonly after: PlanResource;
    readonly fields: readonly FieldChange[];
}

export interface PlanDiff {
    readonly baseStack: string;
    readonly headStack: string;
    readonly added: readonly PlanResource[];
    readonly removed: readonly PlanResource[];
    readonly changed: readonly ResourceChange[];
    /** Apps (`org/app`) only in the head, only in the base, in both. */
    readonly appsAdded: readonly string[];
    readonly appsRemoved: readonly string[];
    /** Data-bearing names each head app declares moved (`moves:` in the catalog), by `org/app` (issue 12). */
    readonly declaredMoves?: Readonly<Record<string, readonly string[]>>;
    /**
     * Set when the two plans' fingerprints were made with different keys (render/fingerprint.ts):
     * secret values were then compared by their documents' shapes only.
     */
    readonly fingerprintsIncomparable?: true;
    /** A cluster rebinding or protection off in pro, declared or not (render/riskyChanges.ts). */
    readonly risky?: readonly RiskyChange[];
}
