import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	KernelError,
	errorFromErrno,
	permissionMessage,
	unavailableMessage,
} from '../../source/kernel/kernel-error.js';

test('EPERM and EACCES become the run-as-root sentence with exit code 77', () => {
	for (const errno of [1, 13]) {
		const error = errorFromErrno(errno, 'dump');
		assert.ok(error instanceof KernelError);
		assert.equal(error.code, 'permission');
		assert.equal(error.message, permissionMessage);
		assert.equal(error.exitCode, 77);
	}
});

test('a kernel without NETLINK_NETFILTER or ctnetlink gets the module sentence and a non-zero exit', () => {
	for (const errno of [93, 95, 97]) {
		const error = errorFromErrno(errno, 'opening the netlink socket');
		assert.equal(error.code, 'unavailable');
		assert.equal(error.message, unavailableMessage);
		assert.equal(error.exitCode, 1);
	}

	assert.match(unavailableMessage, /modprobe nf_conntrack_netlink/);
});

test('other errnos name the operation and the errno', () => {
	const error = errorFromErrno(105, 'subscribing to conntrack events');
	assert.equal(error.code, 'socket');
	assert.equal(
		error.message,
		'subscribing to conntrack events failed: ENOBUFS (receive buffer overflowed)',
	);
	assert.equal(errorFromErrno(4242, 'x').message, 'x failed: errno 4242');
});
