/**
 * The router's events behind the EventSource interface: `conntrack -E` run over the master
 * connection with a terminal (`ssh -tt`), so that when we stop it the router's sshd hangs the
 * terminal up and conntrack ends at once instead of at its next write. Its ENOBUFS warning
 * becomes a resync; the stream is restarted (and a resync asked for) after it ends or the
 * connection comes back. Without conntrack on the router there are no events: only the
 * resync after a reconnect is sent.
 */
import {EventEmitter} from 'node:events';
import type {FlowEvent} from '../flow/types.js';
import {eventsCommand} from './commands.js';
import {maxLineLength, parseEventLine} from './conntrack-line.js';
import {LineReader} from './line-reader.js';
import {RemoteError} from './remote-error.js';
import type {RemoteSource} from './remote-source.js';
import type {RunningCommand} from './ssh.js';

/** Events a RemoteEvents emits (the same as the kernel's EventStream). */
export interface RemoteEventsEvents {
	/** The stream runs; the number is the kernel's receive buffer there, unknown here (0). */
	ready: [receiveBuffer: number];
	event: [event: FlowEvent];
	/** Events were or may have been lost: re-dump to be exact again. */
	resync: [reason: string];
	/** The stream cannot go on. */
	error: [error: RemoteError];
}

/** Printed by the router's shell just before it becomes conntrack -E. */
const startMarker = 'conntop-events';

/** Restarts allowed within a minute before the stream gives up. */
const maxRestarts = 5;

/** The router's event stream. */
export class RemoteEvents extends EventEmitter<RemoteEventsEvents> {
	private running: RunningCommand | undefined;
	private stopped = false;
	private restarts: number[] = [];
	private everReady = false;
	/** Lines that did not parse (shown nowhere raw; counted). */
	skipped = 0;

	constructor(
		private readonly source: RemoteSource,
		private readonly now: () => number = Date.now,
	) {
		super();
		source.on('reconnected', this.onReconnected);
		if (source.capabilities.events) setImmediate(() => this.start());
	}

	/** Ends the stream and stops listening to the source. */
	stop(): void {
		this.stopped = true;
		this.source.off('reconnected', this.onReconnected);
		this.running?.stop();
		this.running = undefined;
	}

	private readonly onReconnected = (): void => {
		if (this.stopped) return;
		if (this.source.capabilities.events) {
			// A stream still running was over the old master (stopped by the reconnect): it is
			// forgotten before it ends, so its end is not taken for a new drop, and one starts
			// over the new master.
			const old = this.running;
			this.running = undefined;
			old?.stop();
			this.start('reconnected');
		} else this.emit('resync', 'reconnected');
	};

	private start(resyncReason?: string): void {
		if (this.stopped || this.source.down !== undefined) return;
		let started = false;
		const lines = new LineReader(
			(raw) => {
				// The terminal ends lines with CR LF.
				const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
				if (!started) {
					if (line !== startMarker) return;
					started = true;
					if (resyncReason !== undefined) this.emit('resync', resyncReason);
					if (!this.everReady) {
						this.everReady = true;
						this.emit('ready', 0);
					}

					return;
				}

				if (line === '') return;
				const time = this.now();
				const parsed = parseEventLine(line, time);
				if (parsed) this.emit('event', {type: parsed.type, flow: parsed.flow, time});
				else if (line.includes('ENOBUFS'))
					this.emit('resync', 'lost events (ENOBUFS on the router)');
				else this.skipped++;
			},
			() => {
				this.skipped++;
			},
			maxLineLength,
		);
		const generation = this.source.ssh.generation;
		const running = this.source.ssh.stream(
			`echo ${startMarker}; ${eventsCommand()}`,
			(chunk) => {
				lines.push(chunk);
			},
			undefined,
			true,
		);
		this.running = running;
		void running.done.then(({code, stderr}) => {
			// A stream replaced after a reconnect (or stopped) says nothing about the link now.
			if (this.stopped || this.running !== running) return;
			this.running = undefined;
			// A drop: the source reconnects and calls onReconnected.
			if (code === 255) {
				this.source.markDown(stderr || 'the event stream lost the connection', generation);
				return;
			}

			const now = this.now();
			this.restarts = [...this.restarts.filter((time) => now - time < 60_000), now];
			if (this.restarts.length > maxRestarts) {
				this.emit(
					'error',
					new RemoteError(
						'dropped',
						`conntrack -E keeps ending on the router${stderr ? `: ${stderr}` : ''}`,
					),
				);
				return;
			}

			this.start('event stream restarted');
		});
	}
}
