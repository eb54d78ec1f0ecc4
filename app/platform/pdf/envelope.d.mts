export declare const ENVELOPE_TAIL_BYTES: number;
export type EnvelopeProblem = { code: "empty" | "not_pdf" | "corrupt"; detail: string };
export declare function envelopeProblem(head: Uint8Array, end: Uint8Array, size: number): EnvelopeProblem | "unknown" | undefined;
export declare function pdfHeaderScanner(): { push(chunk: Uint8Array): number };
