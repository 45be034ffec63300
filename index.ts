/**
 * tenant-apps: every tenant app of the platform from `stacks/<stack>/<organization>.yaml`.
 *
 * The chain per app (see components/): TenantNamespace (per organization) → TenantDatabase →
 * TenantStorage → TenantSecret → TenantIdentity → SecretDelivery → KnativeService →
 * DomainMapping, composed by TenantApp and TenantOrganization.
 */
import { main } from "./program/program";

export = main();
