import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {
	FRAME_DATAGRAM,
	FRAME_HEADER,
	FRAME_LOST,
	FRAME_READY,
	FrameReader,
	encodeFrame,
	u32Payload,
	type Frame,
} from '../../source/kernel/event-frames.cjs';

/** Frames as plain values, so they compare with deepEqual. */
function plain(frames: readonly Frame[]): Array<{kind: number; hex: string}> {
	return frames.map(({kind, payload}) => ({kind, hex: payload.toString('hex')}));
}

const sent = [
	{kind: FRAME_READY, payload: u32Payload(8 << 20)},
	{kind: FRAME_DATAGRAM, payload: Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex')},
	{kind: FRAME_DATAGRAM, payload: Buffer.alloc(0)},
	{kind: FRAME_LOST, payload: u32Payload(105)},
];
const stream = Buffer.concat(sent.map(({kind, payload}) => encodeFrame(kind, payload)));

describe('event frames between the child and its parent', () => {
	test('a frame is a little-endian kind and length, then the payload', () => {
		const frame = encodeFrame(FRAME_LOST, u32Payload(105));
		assert.equal(frame.toString('hex'), '01000000' + '04000000' + '69000000');
		assert.equal(frame.length, FRAME_HEADER + 4);
	});

	test('frames in one chunk come out whole and in order, the empty payload too', () => {
		const reader = new FrameReader();
		assert.deepEqual(plain(reader.push(stream)), plain(sent));
		assert.equal(reader.buffered, 0);
	});

	test('a stream cut at every byte into two chunks gives the same frames', () => {
		for (let cut = 0; cut <= stream.length; cut++) {
			const reader = new FrameReader();
			const frames = [
				...reader.push(stream.subarray(0, cut)),
				...reader.push(stream.subarray(cut)),
			];
			assert.deepEqual(plain(frames), plain(sent), `cut at byte ${cut}`);
			assert.equal(reader.buffered, 0);
		}
	});

	test('a stream fed one byte at a time gives the same frames', () => {
		const reader = new FrameReader();
		const frames: Frame[] = [];
		for (let i = 0; i < stream.length; i++) frames.push(...reader.push(stream.subarray(i, i + 1)));
		assert.deepEqual(plain(frames), plain(sent));
	});

	test('a partial frame is kept until its last byte arrives, as a copy of those bytes', () => {
		const reader = new FrameReader();
		const first = encodeFrame(FRAME_DATAGRAM, Buffer.from('abcdef', 'hex'));
		const chunk = Buffer.from(first.subarray(0, 10));
		assert.deepEqual(reader.push(chunk), []);
		assert.equal(reader.buffered, 10);
		chunk.fill(0);
		assert.deepEqual(plain(reader.push(first.subarray(10))), [
			{kind: FRAME_DATAGRAM, hex: 'abcdef'},
		]);
		assert.equal(reader.buffered, 0);
	});

	test('reset drops a partial frame, so a new child starts a clean stream', () => {
		const reader = new FrameReader();
		reader.push(stream.subarray(0, FRAME_HEADER + 2));
		reader.reset();
		assert.equal(reader.buffered, 0);
		assert.deepEqual(plain(reader.push(stream)), plain(sent));
	});
});
