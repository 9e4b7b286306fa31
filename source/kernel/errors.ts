/**
 * The closed set of ways a ctnetlink message can be malformed.
 *
 * Decoders never throw on bytes from the kernel (or from a fuzzer): they return one of these,
 * naming the attribute path it came from and the byte offset, so one bad message costs that
 * message and nothing else.
 */
export type CodecErrorKind =
	/** Fewer bytes than a netlink or nfgenmsg header needs. */
	| 'truncated-header'
	/** A netlink header whose length is below the header size or past the datagram's end. */
	| 'bad-message-length'
	/** An attribute whose length is below its header size or past its parent's end. */
	| 'bad-attribute-length'
	/** An attribute whose payload is shorter than its type requires. */
	| 'short-attribute'
	/** A flow message without an original or reply tuple. */
	| 'missing-tuple'
	/** A tuple without addresses or a protocol number. */
	| 'incomplete-tuple';

/** One decoding failure. */
export interface CodecError {
	readonly kind: CodecErrorKind;
	/** Attribute path such as "CTA_TUPLE_ORIG/CTA_TUPLE_IP", or "" for the message header. */
	readonly attribute: string;
	/** Byte offset into the datagram where the problem was found. */
	readonly offset: number;
}

/** Makes a codec error value. */
export function codecError(kind: CodecErrorKind, attribute: string, offset: number): CodecError {
	return {kind, attribute, offset};
}

/** One line for people: what was wrong and where. */
export function describeCodecError(error: CodecError): string {
	const where = error.attribute ? ` in ${error.attribute}` : '';
	return `malformed ctnetlink message: ${error.kind}${where} at byte ${error.offset}`;
}
