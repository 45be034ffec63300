/**
 * Reading a file the user names, defined once for every reader of the program (the catalog's
 * organization files, the stack config `Pulumi.<stack>.yaml`): regular files only, never
 * through a symbolic link (a link could pull a file from elsewhere, or a device such as
 * `/dev/zero` that never ends), never blocking on a FIFO, and never more than a size limit.
 */
import * as fs from "node:fs";

/** A human size: `512 KiB`, `1 MiB`. */
export const sizeText = (bytes: number): string =>
    bytes >= 1_048_576 ? `${+(bytes / 1_048_576).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;

/** Why an entry is not a regular file the program reads, or undefined when it is one. */
export function fileKindRefusal(stat: fs.Stats, holds: string): string | undefined {
    if (stat.isSymbolicLink())
        return `is a symbolic link; ${holds} only regular files (a link could read a file from elsewhere), so copy the file in instead`;
    if (stat.isDirectory()) return `is a directory; ${holds} only regular files`;
    if (!stat.isFile()) return `is not a regular file (a device, pipe or socket); ${holds} only regular files`;
    return undefined;
}

/** The bytes of a file, or why it is refused (one line, never quoting the file's content). */
export type SafeRead = { readonly bytes: Buffer; readonly problem?: undefined } | { readonly bytes?: undefined; readonly problem: string };

/** What a reader allows. */
export interface ReadRules {
    /** The largest file read, in bytes. */
    readonly maxBytes: number;
    /** What the reader holds, for messages: "the catalog holds", "a stack config is". */
    readonly holds: string;
    /** The caller's own rules on the opened file (its name, say): why it is refused, or undefined. */
    readonly refusal?: (stat: fs.Stats) => string | undefined;
    /** The caller's message for a file over the limit. */
    readonly tooLarge?: (size: number) => string | undefined;
}

/**
 * Reads one regular file without following a link (O_NOFOLLOW, checked again on the open
 * descriptor) and without blocking on a FIFO (O_NONBLOCK), refusing it past `maxBytes` even
 * when it grows while being read.
 */
export function readRegularFile(file: string, rules: ReadRules): SafeRead {
    const { maxBytes, holds, refusal = () => undefined } = rules;
    let fd: number;
    try {
        const linkStat = fs.lstatSync(file);
        const kind = fileKindRefusal(linkStat, holds);
        if (kind !== undefined) return { problem: kind };
        fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? "error";
        if (code === "ENOENT") return { problem: "does not exist" };
        if (code === "ELOOP") return { problem: fileKindRefusal(fs.lstatSync(file), holds) ?? "is a symbolic link" };
        return { problem: `cannot be read (${code}); ${holds} only regular, readable files` };
    }
    try {
        const stat = fs.fstatSync(fd);
        const why = fileKindRefusal(stat, holds) ?? refusal(stat);
        if (why !== undefined) return { problem: why };
        const tooLarge = (size: number): string =>
            rules.tooLarge?.(size) ??
            `is ${size > maxBytes ? `more than ${sizeText(maxBytes)}` : sizeText(size)}; at most ${sizeText(maxBytes)} is read`;
        if (stat.size > maxBytes) return { problem: tooLarge(stat.size) };
        const buffer = Buffer.alloc(maxBytes + 1);
        let length = 0;
        for (;;) {
            const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
            if (n === 0) break;
            length += n;
            if (length > maxBytes) return { problem: tooLarge(length) };
        }
        return { bytes: buffer.subarray(0, length) };
    } finally {
        fs.closeSync(fd);
    }
}

/** The offset of the first byte that is not part of valid UTF-8, or undefined when all of it is. */
export function invalidUtf8Offset(bytes: Uint8Array): number | undefined {
    let i = 0;
    while (i < bytes.length) {
        const b = bytes[i] ?? 0;
        if (b < 0x80) {
            i++;
            continue;
        }
        const [length, min, max] =
            b >= 0xc2 && b <= 0xdf
                ? [2, 0x80, 0xbf]
                : b === 0xe0
                  ? [3, 0xa0, 0xbf]
                  : b === 0xed
                    ? [3, 0x80, 0x9f]
                    : b >= 0xe1 && b <= 0xef
                      ? [3, 0x80, 0xbf]
                      : b === 0xf0
                        ? [4, 0x90, 0xbf]
                        : b === 0xf4
                          ? [4, 0x80, 0x8f]
                          : b >= 0xf1 && b <= 0xf3
                            ? [4, 0x80, 0xbf]
                            : [0, 0, 0];
        if (length === 0) return i;
        for (let k = 1; k < length; k++) {
            const c = bytes[i + k];
            const [lo, hi] = k === 1 ? [min, max] : [0x80, 0xbf];
            if (c === undefined || c < lo || c > hi) return i;
        }
        i += length;
    }
    return undefined;
}
