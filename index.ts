/**
 * tenant-apps: every tenant app of the platform from `stacks/<stack>/<organization>.yaml`.
 *
 * The chain per app, one component each (components/), over the pure model (model/):
 *
 *   namespace        TenantNamespace   namespace.ts       per organization and env
 *   database         TenantDatabase    database.ts        role + schema, or an agent's own database
 *   storage          TenantStorage     storage.ts         S3 folder (+ the hyperfy2 assets user)
 *   secret           TenantSecret      secret.ts          Secrets Manager secret + version
 *   identity (IRSA)  TenantIdentity    identity.ts        IAM role + ServiceAccount
 *   secret delivery  SecretDelivery    secretDelivery.ts  SecretStore + ExternalSecret
 *   KNative Service  KnativeService    knativeService.ts  the revision that serves the app
 *   DomainMapping    DomainMapping     domainMapping.ts   the public hostname
 *
 * TenantApp composes one app's links, TenantOrganization one organization; program/ validates
 * config and catalog as a whole before registering anything.
 */
import { main } from "./program/program";

export = main();
