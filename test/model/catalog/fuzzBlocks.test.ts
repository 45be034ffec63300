/**
 * Fuzz of the newer blocks: a catalog using `adopt:`, `moves:`, `agent:`, `domains:` and given
 * hostnames, and a stack config using the Kubernetes binding, name patterns, the platform's
 * hostnames and the acknowledgements, mutated from a seeded PRNG for a bounded time
 * (FUZZ_SECONDS, default 15, split between the two; FUZZ_SEED to replay). Every mutant is
 * either accepted or refused with readable problems: never another exception, never a control
 * character or a cut line in a message, and (for the config) never a planted credential echoed.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify as stringifyYaml, parse as parseYaml } from "yaml";
import { CatalogError, formatProblem, parseCatalog, readCatalogDir } from "../../../model/catalog";
import { parsePlatformConfig, PlatformConfigError, rawPlatformConfigOf } from "../../../model/config";
import { parseStackConfig } from "../../../model/stackConfig";
import { fixtureConfigFile } from "../../support/harness";
import { platformOf } from "../../support/fixtures";
import { mutate, prng } from "./fuzzSupport";

/** A valid organization file that uses every newer block. */
export const newerBlocksCatalog = `organization: acme
domain: acme.io
domains: [acme.games]
adopt: { namespace: acme-pro }
apps:
  - name: web
    type: custom
    image: ghcr.io/acme/web:1.0.0
    port: 8080
    hostname: web.acme.games
    database: true
    moves: [schema, dbRole]
    adopt: { schema: numinia.web_acme_pro, dbRole: web_acme_pro }
    env: { PUBLIC_URL: "https://web.acme.games", PUBLIC_MAX_UPLOAD_SIZE: "12" }
  - name: guide
    type: eliza
    image: ghcr.io/acme/guide:1.0.0
    database: true
    agent: { modelProvider: openai, smallModel: gpt-4o-mini, largeModel: gpt-4o, charactersPath: /app/characters }
    moves: [database]
    adopt: { database: guide_acme_pro }
`;

/** A credential planted among the values the config mutations drop in: no message may echo it. */
const plantedToken = "eyJplantedKubeToken0123456789";

/** The blocks of the stack config the fuzz mutates, over the fixture config. */
function newerBlocksConfig(): string {
    const doc = parseYaml(fs.readFileSync(fixtureConfigFile("pro"), "utf8")) as { config: Record<string, unknown> };
    doc.config["tenant-apps:kubernetes"] = {
        context: "arn:aws:eks:eu-west-1:482103417651:cluster/production-numinia",
        clusterIdentifier: "production-numinia",
        rebindFrom: "staging-numinia",
        readiness: { service: 600 },
    };
    doc.config["tenant-apps:names"] = { schema: "{app}_{org}_{env}", assetsSegment: "latest", hostname: "{app}.{domain}" };
    doc.config["tenant-apps:platformHostnames"] = ["backoffice.numinia.xyz"];
    doc.config["tenant-apps:acknowledge"] = { unprotectedInPro: "a test stack without data" };
    return stringifyYaml(doc);
}

/** Values the config mutations plant: a kubeconfig with a token, credential variables, escape bytes. */
const configHostile = [
    `"apiVersion: v1\\nusers: [{user: {token: ${plantedToken}}}]"`,
    `{ kubeconfig: "token: ${plantedToken}" }`,
    "{ kubeconfigEnv: AWS_SECRET_ACCESS_KEY }",
    "{ kubeconfigEnv: KUBECONFIG_PRO }",
    '"prod\\e[2J"',
    "pg_{org}",
    "{ protect: false }",
    "[co.uk, cluster.local]",
];

/** Whether a message line holds a character a terminal would act on. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const hasControl = (line: string): boolean => /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/.test(line);

describe("fuzz: the newer blocks and the stack config never crash or echo what they refuse", () => {
    const seconds = Number(process.env.FUZZ_SECONDS ?? "15") / 2;
    const seed = Number(process.env.FUZZ_SEED ?? "20261202");
    let tmp: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-fuzz-blocks-"));
    });
    after(() => {
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("accepts the unmutated catalog of every newer block", () => {
        const dir = path.join(tmp, "base");
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, "acme.yaml"), newerBlocksCatalog);
        const catalog = parseCatalog(readCatalogDir(dir, tmp), platformOf("pro"));
        assert.deepEqual(
            catalog.organizations[0]?.apps.map((a) => [a.name, a.moves, a.adopt]),
            [
                ["web", ["schema", "dbRole"], { schema: "numinia.web_acme_pro", dbRole: "web_acme_pro" }],
                ["guide", ["database"], { database: "guide_acme_pro" }],
            ],
        );
    });

    it(`mutates the newer catalog blocks for ${seconds} s from seed ${seed}`, function () {
        this.timeout((seconds + 60) * 1000);
        const random = prng(seed);
        const platform = platformOf("pro");
        const counts = { mutants: 0, valid: 0, invalid: 0 };
        for (const deadline = Date.now() + seconds * 1000; Date.now() < deadline; counts.mutants++) {
            let text = newerBlocksCatalog;
            for (let k = 1 + Math.floor(random() * 3); k > 0; k--) text = mutate(text, random);
            const dir = path.join(tmp, `c${counts.mutants}`);
            fs.mkdirSync(dir);
            fs.writeFileSync(path.join(dir, "acme.yaml"), text);
            const replay = `seed ${seed}, mutant ${counts.mutants}: ${JSON.stringify(text)}`;
            try {
                parseCatalog(readCatalogDir(dir, tmp), platform);
                counts.valid++;
            } catch (error) {
                assert.ok(
                    error instanceof CatalogError,
                    `${replay}\nthrew ${error instanceof Error ? (error.stack ?? "") : String(error)}`,
                );
                for (const problem of error.problems) {
                    const line = formatProblem(problem);
                    assert.ok(problem.message !== "" && !line.includes("\n") && !hasControl(line), `${replay}\n${JSON.stringify(line)}`);
                }
                counts.invalid++;
            }
            fs.rmSync(dir, { recursive: true, force: true });
        }
        assert.ok(counts.mutants > 50 && counts.invalid > 0 && counts.valid > 0, JSON.stringify(counts));
    });

    it(`mutates the Kubernetes binding, name patterns and guards of the stack config for ${seconds} s`, function () {
        this.timeout((seconds + 60) * 1000);
        const random = prng(seed + 1);
        const base = newerBlocksConfig();
        const counts = { mutants: 0, valid: 0, invalid: 0 };
        for (const deadline = Date.now() + seconds * 1000; Date.now() < deadline; counts.mutants++) {
            let text = base;
            for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
                text =
                    random() < 0.3
                        ? text.replace(
                              /^( {2}tenant-apps:(kubernetes|names|acknowledge|platformHostnames|deletion):).*$/m,
                              (_, key: string) =>
                                  random() < 0.5 ? `${key} ${configHostile[Math.floor(random() * configHostile.length)] ?? ""}` : key,
                          )
                        : mutate(text, random);
            }
            const replay = `seed ${seed + 1}, mutant ${counts.mutants}: ${JSON.stringify(text)}`;
            try {
                const { config } = parseStackConfig(text, "Pulumi.pro.yaml");
                const raw = rawPlatformConfigOf((key) => config[key], Object.keys(config));
                parsePlatformConfig("pro", raw.values, "Pulumi.pro.yaml", raw.problems);
                counts.valid++;
            } catch (error) {
                assert.ok(
                    error instanceof PlatformConfigError || (error instanceof Error && error.constructor === Error),
                    `${replay}\n${String(error)}`,
                );
                const lines = error.message.split("\n");
                assert.ok(
                    lines.every((line) => !hasControl(line)),
                    `${replay}\n${JSON.stringify(error.message)}`,
                );
                assert.ok(!error.message.includes(plantedToken), `${replay}\nechoes the planted token:\n${error.message}`);
                counts.invalid++;
            }
        }
        assert.ok(counts.mutants > 50 && counts.invalid > 0 && counts.valid > 0, JSON.stringify(counts));
    });
});
