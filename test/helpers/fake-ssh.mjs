#!/usr/bin/env node
// A stand-in for OpenSSH's client in SshConnection tests (settings.binary): `-M` binds the
// `-S` control socket and stays up until SIGTERM, like `ssh -M -N`; `-O exit` and any other
// call exit 0 at once. Each start and exit of a master is appended to $FAKE_SSH_LOG as
// `start PID` / `exit PID`, so a test can count masters and see their order.
import {appendFileSync} from 'node:fs';
import {createServer} from 'node:net';

const args = process.argv.slice(2);
const log = (line) => appendFileSync(process.env.FAKE_SSH_LOG, `${line} ${process.pid}\n`);
if (!args.includes('-M')) process.exit(0);
const server = createServer();
// Before listen: the socket appears within listen(), and a test may signal as soon as it sees it.
process.on('SIGTERM', () => {
	log('exit');
	server.close();
	process.exit(0);
});
log('start');
server.listen(args[args.indexOf('-S') + 1]);
