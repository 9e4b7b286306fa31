/**
 * Splits a byte stream from the router into lines without trusting it to send short ones: a
 * line longer than the limit is dropped as it streams in (its bytes are never kept) and
 * counted, so a router that sends 10 MB without a newline costs no memory.
 */
import {StringDecoder} from 'node:string_decoder';

/** Splits chunks into lines for `onLine`; `onOverlong` hears of each line dropped for length. */
export class LineReader {
	private pending = '';
	private dropping = false;
	private readonly decoder = new StringDecoder('latin1');

	constructor(
		private readonly onLine: (line: string) => void,
		private readonly onOverlong: () => void,
		private readonly maxLength: number,
	) {}

	/**
	 * Feeds a chunk. Bytes are read as Latin-1, one character each, so a multi-byte or invalid
	 * UTF-8 sequence stays visible to the parser as the non-ASCII it is.
	 */
	push(chunk: Buffer): void {
		const text = this.decoder.write(chunk);
		let start = 0;
		for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
			const piece = text.slice(start, newline);
			start = newline + 1;
			if (this.dropping) {
				this.dropping = false;
				continue;
			}

			const line = this.pending + piece;
			this.pending = '';
			if (line.length > this.maxLength) this.onOverlong();
			else this.onLine(line);
		}

		if (this.dropping) return;
		this.pending += text.slice(start);
		if (this.pending.length > this.maxLength) {
			this.pending = '';
			this.dropping = true;
			this.onOverlong();
		}
	}

	/** Ends the stream: a last line without a newline is still a line. */
	end(): void {
		if (!this.dropping && this.pending !== '') this.onLine(this.pending);
		this.pending = '';
		this.dropping = false;
	}
}
