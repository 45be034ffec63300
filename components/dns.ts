import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { dnsEndpointManifest, type AppDnsRecord } from "../model/dns";
import { typeTokens } from "../model/typeTokens";
import { childOf } from "./options";

export interface TenantDnsArgs {
    /** The record the app's hostname needs and who makes it (TenantAppSpec.dns). */
    readonly record: AppDnsRecord;
    /** The app's namespace, where a DNSEndpoint lives. */
    readonly namespace: string;
}

/**
 * The DNS record of one app's hostname: a DNSEndpoint that the cluster's ExternalDNS writes to
 * the registrar (it overwrites no record it does not own: external-dns plan/plan.go@v0.22.0
 * L258-262), or a Route53 record that never overwrites an existing one (`allowOverwrite: false`;
 * a hand-made record is taken over only through `adopt: { dnsRecord }`), or nothing (a wildcard
 * covers it, or a person makes it: the record is in this component's inputs and the summary).
 */
export class TenantDns extends pulumi.ComponentResource {
    constructor(name: string, args: TenantDnsArgs, opts?: pulumi.ComponentResourceOptions) {
        const r = args.record;
        super(
            typeTokens.dnsLink,
            name,
            {
                hostname: r.hostname,
                type: r.type,
                managedBy: r.managedBy,
                ttl: r.ttl,
                ...(r.target !== undefined ? { target: r.target } : {}),
                ...(r.zone !== undefined ? { zone: { ...r.zone } } : {}),
                ...(r.coveredBy !== undefined ? { coveredBy: r.coveredBy } : {}),
                ...(r.owner !== undefined ? { owner: r.owner } : {}),
            },
            opts,
        );
        if (r.managedBy === "externaldns") {
            new k8s.apiextensions.CustomResource(`${name}/endpoint`, dnsEndpointManifest(r, args.namespace), childOf(this, opts));
        } else if (r.managedBy === "route53") {
            if (r.zone === undefined || r.target === undefined)
                throw new Error(`${r.hostname}: a Route53 record needs its zone and target`);
            new aws.route53.Record(
                `${name}/record`,
                { zoneId: r.zone.id, name: r.hostname, type: r.type, ttl: r.ttl, records: [r.target], allowOverwrite: false },
                childOf(this, opts),
            );
        }
        this.registerOutputs({});
    }
}
