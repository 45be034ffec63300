/**
 * Stack config of Pod Security (`tenant-apps:podSecurity`): the Pod Security Standards version
 * tenant namespaces pin, and whether the cluster's KNative admits a pod-level
 * `securityContext`. Pure.
 */
import { z } from "zod/v3";

/**
 * The platform's Kubernetes minor: EKS `cluster_version = "1.35"` (numinia-terragrunt
 * infrastructure/production/eu-west-1/numinia/eks/terragrunt.hcl L29). Pinning the namespace
 * labels to it keeps a control-plane upgrade from tightening or loosening the checks unseen.
 */
export const defaultPodSecurityVersion = "v1.35";

export const podSecurityConfigSchema = z
    .strictObject({
        /** `pod-security.kubernetes.io/{enforce,audit,warn}-version` of every tenant namespace. */
        version: z
            .string()
            .regex(
                /^v1\.\d{1,3}$/,
                'must be a Kubernetes minor version such as "v1.35" (not "latest": a pinned version changes only on purpose)',
            )
            .default(defaultPodSecurityVersion),
        /**
         * KNative's `kubernetes.podspec-securitycontext` feature flag (config-features). Disabled is
         * KNative's default (serving release-1.17 config/core/configmaps/features.yaml L133) and the
         * platform's: numinia-k8s knative-serving.yaml sets no `features` at all. While disabled,
         * KNative's webhook refuses every pod-level securityContext field (pkg/apis/serving/fieldmask.go
         * L666-668), so the program sets only container-level fields.
         */
        knativePodSpecSecurityContext: z.enum(["enabled", "disabled"]).default("disabled"),
    })
    .default({});

export type PodSecurityConfig = z.infer<typeof podSecurityConfigSchema>;

/** The platform's own settings, which a stack without `tenant-apps:podSecurity` gets. */
export const platformPodSecurityDefaults: PodSecurityConfig = podSecurityConfigSchema.parse(undefined);
