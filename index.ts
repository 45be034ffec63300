/**
 * tenant-apps: every tenant app of the platform from `stacks/<stack>/<organization>.yaml`.
 *
 * The chain per app, one component each (components/), over the pure model (model/):
 *
 *   namespace        TenantNamespace   namespace.ts       per organization and env; Pod Security, ingress/egress policies
 *   database         TenantDatabase    database.ts        role + schema, or an agent's own database
 *   storage          TenantStorage     storage.ts         S3 folder (+ the hyperfy2 assets user)
 *   world seeding    WorldSeed         worldSeed.ts       a new world's assets copied from the template, once
 *   secret           TenantSecret      secret.ts          Secrets Manager secret + version
 *   identity (IRSA)  TenantIdentity    identity.ts        IAM role + ServiceAccount
 *   secret delivery  SecretDelivery    secretDelivery.ts  SecretStore + ExternalSecret
 *   KNative Service  KnativeService    knativeService.ts  the revision that serves the app
 *   DNS record       TenantDns         dns.ts             the hostname's CNAME (ExternalDNS, Route53 or by hand)
 *   DomainMapping    DomainMapping     domainMapping.ts   the public hostname, after its DNS record
 *
 * TenantApp composes one app's links, TenantOrganization one organization; program/ validates
 * config and catalog as a whole before registering anything.
 */
import { main } from "./program/program";

export = main();
