/**
 * The JSON form of a flow lives in flow/json.ts. This re-export only keeps the SSH end-to-end
 * tests (test/remote/ssh-e2e.test.ts, being written alongside) compiling until they import it
 * from there; nothing in source/ uses it. Delete it then.
 */
export type {FlowJson, TupleJson} from '../flow/json.js';
