// Command psa evaluates pod specs with the upstream Pod Security Admission checks
// (k8s.io/pod-security-admission/policy), the code the API server's PodSecurity admission runs.
//
// Input on stdin: a JSON array of {"name", "namespaceLabels", "metadata", "spec"}, where spec is a
// core/v1 PodSpec (unknown fields are an error, so a misspelt field cannot pass unseen).
// Output on stdout: a JSON array of {"name", "enforce", "allowed", "reasons", "detail"}, one per
// input, evaluated at the enforce level and version the namespace labels select.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
)

type podInput struct {
	Name            string            `json:"name"`
	NamespaceLabels map[string]string `json:"namespaceLabels"`
	Metadata        metav1.ObjectMeta `json:"metadata"`
	Spec            corev1.PodSpec    `json:"spec"`
}

type podResult struct {
	Name    string   `json:"name"`
	Enforce string   `json:"enforce"`
	Allowed bool     `json:"allowed"`
	Reasons []string `json:"reasons"`
	Detail  string   `json:"detail"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "psa:", err)
		os.Exit(1)
	}
}

func run() error {
	decoder := json.NewDecoder(os.Stdin)
	decoder.DisallowUnknownFields()
	var pods []podInput
	if err := decoder.Decode(&pods); err != nil {
		return fmt.Errorf("reading pods: %w", err)
	}
	evaluator, err := policy.NewEvaluator(policy.DefaultChecks(), nil)
	if err != nil {
		return err
	}
	// Without labels the API server's defaults apply (privileged, latest): the labels must say restricted.
	defaults := api.Policy{
		Enforce: api.LevelVersion{Level: api.LevelPrivileged, Version: api.LatestVersion()},
		Audit:   api.LevelVersion{Level: api.LevelPrivileged, Version: api.LatestVersion()},
		Warn:    api.LevelVersion{Level: api.LevelPrivileged, Version: api.LatestVersion()},
	}
	results := make([]podResult, 0, len(pods))
	for i := range pods {
		pod := &pods[i]
		namespacePolicy, labelErrs := api.PolicyToEvaluate(pod.NamespaceLabels, defaults)
		if len(labelErrs) > 0 {
			return fmt.Errorf("%s: namespace labels: %v", pod.Name, labelErrs.ToAggregate())
		}
		checks := policy.AggregateCheckResults(evaluator.EvaluatePod(namespacePolicy.Enforce, &pod.Metadata, &pod.Spec))
		reasons := checks.ForbiddenReasons
		if reasons == nil {
			reasons = []string{}
		}
		results = append(results, podResult{
			Name:    pod.Name,
			Enforce: namespacePolicy.Enforce.String(),
			Allowed: checks.Allowed,
			Reasons: reasons,
			Detail:  checks.ForbiddenDetail(),
		})
	}
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetIndent("", "  ")
	return encoder.Encode(results)
}
