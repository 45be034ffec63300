/**
 * The "program" the component tests hand to `evaluateStack`: it runs the build that
 * `construct` queued, so each test constructs its component alone under the mock runtime.
 */
import { takeBuild } from "./support";

export = takeBuild()();
