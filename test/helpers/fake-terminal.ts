/**
 * A fake terminal for driving `runTui` without a pty: the two stream sides Ink touches, with
 * what a test or a benchmark wants to read back (the bytes written, raw mode switches).
 */
import {EventEmitter} from 'node:events';

/** A terminal's output side: has a size, records or counts what it is sent. */
export class FakeTty extends EventEmitter {
	readonly isTTY = true;
	/** Everything written, when recording (see the constructor). */
	output = '';
	/** Bytes written (UTF-8). */
	bytes = 0;
	/** write() calls. */
	writes = 0;

	/** `record: false` only counts, so a long benchmark does not keep every frame. */
	constructor(
		public columns = 100,
		public rows = 30,
		private readonly record = true,
	) {
		super();
	}

	/** Takes a chunk as a terminal would; emits 'wrote' after each. */
	write(chunk: string): boolean {
		if (this.record) this.output += chunk;
		this.bytes += Buffer.byteLength(chunk);
		this.writes++;
		this.emit('wrote');
		return true;
	}
}

/** A terminal's input side, as Ink reads it: keys typed by the test arrive as 'readable'. */
export class FakeKeyboard extends EventEmitter {
	readonly isTTY = true;
	/** Every raw mode switch Ink made, in order. */
	rawMode: boolean[] = [];
	private pending: string[] = [];

	/** Records the switch. */
	setRawMode(mode: boolean): void {
		this.rawMode.push(mode);
	}

	/** Ink calls these on a real stdin; nothing to do here. */
	setEncoding(): void {}
	ref(): void {}
	unref(): void {}
	resume(): void {}
	pause(): void {}

	/** The next typed chunk, as a stream in paused mode gives it. */
	read(): string | null {
		return this.pending.shift() ?? null;
	}

	/** Types `keys` (raw bytes, escape sequences included). */
	type(keys: string): void {
		this.pending.push(keys);
		this.emit('readable');
	}
}
