/**
 * A DNS server on 127.0.0.1 whose answers a test sets: CNAME and A records by name, answered
 * the way a recursive resolver answers (an A question about a CNAME gets the chain). Nothing
 * else is ever asked; a name it does not know gets NXDOMAIN.
 */
import * as dgram from "node:dgram";
import * as packet from "dns-packet";

/** The records of one name. */
export interface DnsRecords {
    readonly cname?: string;
    readonly a?: readonly string[];
}

export interface TestDnsServer {
    /** `127.0.0.1:port`, for `--dns-server`. */
    readonly address: string;
    readonly close: () => Promise<void>;
}

const key = (name: string): string => name.toLowerCase().replace(/\.$/, "");

/** The answers to `type` about `name`, following a CNAME chain for A questions. */
function answersOf(zone: ReadonlyMap<string, DnsRecords>, name: string, type: string): packet.Answer[] {
    const records = zone.get(key(name));
    if (records === undefined) return [];
    if (records.cname !== undefined) {
        const cname: packet.Answer = { type: "CNAME", name, ttl: 60, data: records.cname };
        return type === "CNAME" ? [cname] : [cname, ...answersOf(zone, records.cname, type)];
    }
    if (type !== "A") return [];
    return (records.a ?? []).map((data): packet.Answer => ({ type: "A", name, ttl: 60, data }));
}

export function startDnsServer(records: Readonly<Record<string, DnsRecords>>): Promise<TestDnsServer> {
    const zone = new Map(Object.entries(records).map(([name, r]) => [key(name), r]));
    const socket = dgram.createSocket("udp4");
    socket.on("message", (message, peer) => {
        const query = packet.decode(message);
        const question = query.questions?.[0];
        if (question === undefined) return;
        const known = zone.has(key(question.name));
        const reply = packet.encode({
            type: "response",
            id: query.id,
            flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE | (known ? 0 : 3), // rcode 3: NXDOMAIN
            questions: [question],
            answers: answersOf(zone, question.name, question.type),
        });
        socket.send(reply, peer.port, peer.address);
    });
    return new Promise((resolve) => {
        socket.bind(0, "127.0.0.1", () => {
            const { port } = socket.address();
            resolve({ address: `127.0.0.1:${port}`, close: () => new Promise((done) => socket.close(() => done())) });
        });
    });
}
