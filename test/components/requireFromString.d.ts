// require-from-string 2.0.2 (a dependency of @pulumi/pulumi, which loads dynamic providers with it) ships no types.
declare module "require-from-string" {
    function requireFromString(code: string, filename?: string): unknown;
    export = requireFromString;
}
