/**
 * The event stream: NEW/UPDATE/DESTROY from the NFNLGRP_CONNTRACK_* groups.
 *
 * The socket lives in a child process (event-child.cts) so that the `netlink` package's abort
 * under overflow costs a restart, not conntop. Whenever events may have been lost (ENOBUFS,
 * the child's backlog, the child dying) the stream says `resync` and the caller re-dumps:
 * nothing is dropped silently.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {EventEmitter} from 'node:events';
import {fileURLToPath} from 'node:url';
import type {FlowEvent, FlowEventType} from '../flow/types.js';
import * as C from './constants.js';
import {decodeDatagram} from './decode-datagram.js';
import {describeCodecError} from './errors.js';
import {
	FRAME_DATAGRAM,
	FRAME_FATAL,
	FRAME_LOST,
	FRAME_READY,
	FrameReader,
} from './event-frames.cjs';
import {KernelError, errorFromErrno} from './kernel-error.js';

const NLM_F_CREATE = 0x400;

/** Options of an event stream. */
export interface EventStreamOptions {
	/** Receive buffer to ask for, in bytes (capped by net.core.rmem_max). Default 8 MiB. */
	readonly receiveBuffer?: number;
	/** Injected clock for event times, ms since the epoch. */
	readonly now?: () => number;
	/** Restarts of the child allowed within `restartWindowMs` before the stream fails. */
	readonly maxRestarts?: number;
}

/** Events an EventStream emits. */
export interface EventStreamEvents {
	/** Subscribed; `receiveBuffer` is what the kernel granted. */
	ready: [receiveBuffer: number];
	event: [event: FlowEvent];
	/** Events were or may have been lost: re-dump to be exact again. */
	resync: [reason: string];
	/** The stream cannot go on (no permission, repeated crashes). */
	error: [error: KernelError];
}

const restartWindowMs = 10_000;

/** A running subscription to conntrack events. Call `stop()` to end it. */
export class EventStream extends EventEmitter<EventStreamEvents> {
	private child: ChildProcess | undefined;
	private readonly frames = new FrameReader();
	private stopped = false;
	private restarts: number[] = [];
	/** The child reported a fatal errno: its exit is not a crash to restart from. */
	private failedForGood = false;
	/** A restart's reason, reported as a resync when the new child is subscribed. */
	private resyncWhenReady: string | undefined;
	private restartTimer: NodeJS.Timeout | undefined;
	private readonly now: () => number;

	/** Starts the child process and subscribes; listen for `ready`, `event`, `resync`, `error`. */
	constructor(private readonly options: EventStreamOptions = {}) {
		super();
		this.now = options.now ?? Date.now;
		this.spawnChild();
	}

	/** Ends the subscription and the child process. */
	stop(): void {
		this.stopped = true;
		if (this.restartTimer) clearTimeout(this.restartTimer);
		const child = this.child;
		this.child = undefined;
		if (child && child.exitCode === null) {
			child.stdin?.end();
			child.kill('SIGTERM');
		}
	}

	private spawnChild(): void {
		const here = fileURLToPath(import.meta.url);
		// The child is CommonJS (event-child.cts says why): .cts in source, .cjs once built.
		const childPath = here.replace(/events\.(ts|js)$/, (_, ext: string) => `event-child.c${ext}`);
		// The child only forwards datagrams: a 1 MB young generation and no V8 worker threads keep
		// it a few MB smaller than a default Node (most of the rest is Node's own code, whose pages
		// it shares with the parent).
		const lean = ['--max-semi-space-size=1', '--single-threaded'];
		const child = spawn(process.execPath, [...lean, ...loaderArguments(), childPath], {
			stdio: ['pipe', 'pipe', 'pipe'],
			env: {
				...process.env,
				CONNTOP_EVENT_RCVBUF: String(this.options.receiveBuffer ?? 8 * 1024 * 1024),
				CONNTOP_EVENT_PROTOCOL: String(C.NETLINK_NETFILTER),
				CONNTOP_EVENT_GROUPS: [
					C.NFNLGRP_CONNTRACK_NEW,
					C.NFNLGRP_CONNTRACK_UPDATE,
					C.NFNLGRP_CONNTRACK_DESTROY,
				].join(','),
			},
		});
		this.child = child;
		this.frames.reset();
		let stderr = '';
		child.stderr.setEncoding('utf8');
		child.stderr.on('data', (text: string) => {
			stderr = (stderr + text).slice(-2000);
		});
		child.stdout.on('data', (chunk: Buffer) => {
			this.onData(chunk);
		});
		child.stdin.on('error', () => undefined);
		child.on('error', (error) => {
			this.emit(
				'error',
				new KernelError('socket', `could not start the event process: ${error.message}`),
			);
		});
		child.on('exit', (code, signal) => {
			if (this.stopped || this.child !== child) return;
			this.child = undefined;
			if (code === 1 && this.failedForGood) return;
			const why = signal ? `signal ${signal}` : `exit code ${code}`;
			const last = stderr.trim().split('\n').at(-1) ?? '';
			this.restart(`event process died (${why}${last ? `: ${last}` : ''})`);
		});
	}

	private restart(reason: string): void {
		const t = this.now();
		this.restarts = this.restarts.filter((r) => t - r < restartWindowMs);
		this.restarts.push(t);
		if (this.restarts.length > (this.options.maxRestarts ?? 5)) {
			this.emit('error', new KernelError('socket', `${reason}; gave up after repeated restarts`));
			return;
		}

		// Resync only once the new child is subscribed: a dump taken before that would miss
		// whatever changed in between, with no event to tell.
		this.resyncWhenReady = reason;
		// Kept referenced: between the old child's exit and the new one's start this timer may be
		// all that keeps `--events` alive, and an unreferenced one let the process end, exit 0,
		// in the middle of a stream. stop() clears it.
		this.restartTimer = setTimeout(() => {
			this.restartTimer = undefined;
			if (!this.stopped) this.spawnChild();
		}, 50);
	}

	private onData(chunk: Buffer): void {
		for (const {kind, payload} of this.frames.push(chunk)) this.onFrame(kind, payload);
	}

	private onFrame(kind: number, payload: Buffer): void {
		switch (kind) {
			case FRAME_DATAGRAM:
				this.onDatagram(payload);
				break;
			case FRAME_LOST:
				this.emit(
					'resync',
					payload.readUInt32LE(0) === C.ENOBUFS
						? 'the kernel dropped events (receive buffer overflow)'
						: 'events arrived faster than they were read',
				);
				break;
			case FRAME_READY: {
				this.emit('ready', payload.readUInt32LE(0));
				const reason = this.resyncWhenReady;
				this.resyncWhenReady = undefined;
				if (reason) this.emit('resync', reason);
				break;
			}
			case FRAME_FATAL:
				this.failedForGood = true;
				this.emit(
					'error',
					errorFromErrno(payload.readUInt32LE(0), 'subscribing to conntrack events'),
				);
				break;
			default:
				break;
		}
	}

	private onDatagram(datagram: Buffer): void {
		const time = this.now();
		decodeDatagram(datagram, {
			flow: (flow, msgType, flags) => {
				const type: FlowEventType =
					msgType === C.IPCTNL_MSG_CT_DELETE ? 'destroy' : flags & NLM_F_CREATE ? 'new' : 'update';
				this.emit('event', {type, flow, time});
			},
			error: (error) => {
				// An event we could not read is an event lost: the table may now be wrong.
				this.emit('resync', describeCodecError(error));
			},
		});
	}
}

/**
 * The node flags that load TypeScript (tsx) or other loaders, so the child runs the same way
 * as the parent; test-runner flags are left out.
 */
function loaderArguments(): string[] {
	const out: string[] = [];
	const argv = process.execArgv;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--import' || arg === '--require' || arg === '--loader' || arg === '-r') {
			out.push(arg, argv[i + 1]);
			i++;
		} else if (/^--(import|require|loader|experimental-loader)=/.test(arg)) {
			out.push(arg);
		}
	}

	return out;
}
