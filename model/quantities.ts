/**
 * Kubernetes quantities (`256m`, `4096Mi`) as schema types and as numbers, so the catalog
 * can compare requests with limits and quotas. Pure.
 *
 * Schemas use zod's v3 API (`zod/v3`, shipped and supported in the pinned zod package): it
 * loads in ~12 ms where the v4 API loads 95 files (every locale) in ~60 ms, on every preview.
 */
import { z } from "zod/v3";

/** One message for a missing value and a value of the wrong type (zod v3 tells them apart). */
export const typeError = (message: string) => ({ required_error: message, invalid_type_error: message });

const cpuPattern = /^(\d+(\.\d+)?|\d+m)$/;
// A unit is required: a bare number means bytes, and "512" for "512Mi" would OOM-kill the pod at start.
const memoryPattern = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)$/;

export const cpuQuantity = z
    .string(typeError('must be a quoted CPU quantity such as "250m" or "2"'))
    .regex(cpuPattern, 'must be a CPU quantity such as "250m" or "2"');
export const memoryQuantity = z
    .string(typeError('must be a quoted memory quantity such as "256Mi" or "4Gi"'))
    .regex(memoryPattern, 'must be a memory quantity with a unit, such as "256Mi" or "4Gi" (a bare number means bytes)');

/** CPU quantity in millicores. */
export function milliCpu(quantity: string): number {
    return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) : Math.round(Number(quantity) * 1000);
}

const memoryUnits: Readonly<Record<string, number>> = {
    "": 1,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
};

/** Memory quantity in bytes. */
export function memoryBytes(quantity: string): number {
    const match = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(quantity);
    if (!match) return Number.NaN;
    return Number(match[1]) * (memoryUnits[match[2] ?? ""] ?? Number.NaN);
}

/** `["apps", 0, "scale", "min"]` → `apps[0].scale.min`. */
export function formatZodPath(path: readonly PropertyKey[]): string {
    return path.map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`)).join("");
}
