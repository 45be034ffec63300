/**
 * The stack config reader opens only what the catalog reader opens (model/safeRead.ts): a
 * regular file, no symbolic link (not even to /dev/zero), no FIFO, at most 1 MiB, UTF-8.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readCatalogDir } from "../../model/catalog";
import { maxStackConfigBytes, readStackConfig } from "../../model/stackConfig";

describe("the stack config reader", () => {
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-stack-config-"));
    });
    afterEach(() => {
        fs.rmSync(dir, { recursive: true, force: true });
    });
    const file = () => path.join(dir, "Pulumi.pro.yaml");

    it("refuses a symbolic link to /dev/zero at once, as the catalog reader does", () => {
        fs.symlinkSync("/dev/zero", file());
        assert.throws(
            () => readStackConfig(file()),
            (error: unknown) =>
                error instanceof Error &&
                error.message ===
                    `${file()}: is a symbolic link; a stack config is read from only regular files (a link could read a file from elsewhere), so copy the file in instead`,
        );
        const catalog = path.join(dir, "catalog");
        fs.mkdirSync(catalog);
        fs.symlinkSync("/dev/zero", path.join(catalog, "zero.yaml"));
        assert.throws(() => readCatalogDir(catalog, dir), /catalog\/zero\.yaml: is a symbolic link; the catalog holds only regular files/);
    });

    it("refuses a symbolic link to a real config file", () => {
        fs.writeFileSync(path.join(dir, "real.yaml"), "config:\n  aws:region: eu-west-1\n");
        fs.symlinkSync(path.join(dir, "real.yaml"), file());
        assert.throws(() => readStackConfig(file()), /Pulumi\.pro\.yaml: is a symbolic link/);
    });

    it("refuses a FIFO without waiting for a writer", function () {
        try {
            execFileSync("mkfifo", [file()]);
        } catch {
            this.skip(); // no mkfifo on this system
        }
        assert.throws(() => readStackConfig(file()), /Pulumi\.pro\.yaml: is not a regular file \(a device, pipe or socket\)/);
    });

    it("refuses a directory and a file over 1 MiB, and reads one of exactly 1 MiB", () => {
        fs.mkdirSync(file());
        assert.throws(() => readStackConfig(file()), /Pulumi\.pro\.yaml: is a directory; a stack config is read from only regular files/);
        fs.rmdirSync(file());
        const head = "config:\n  aws:region: eu-west-1\n#";
        fs.writeFileSync(file(), head + "x".repeat(maxStackConfigBytes - head.length));
        assert.deepEqual(readStackConfig(file()).config, { "aws:region": "eu-west-1" });
        fs.appendFileSync(file(), "x");
        assert.throws(() => readStackConfig(file()), /Pulumi\.pro\.yaml: is more than 1 MiB; at most 1 MiB is read/);
    });

    it("refuses text that is not UTF-8, naming the byte", () => {
        fs.writeFileSync(file(), Buffer.from([0x63, 0x6f, 0x6e, 0x66, 0x69, 0x67, 0x3a, 0x0a, 0xc0, 0xaf]));
        assert.throws(() => readStackConfig(file()), /Pulumi\.pro\.yaml: is not valid UTF-8 \(byte 8\)/);
    });
});
