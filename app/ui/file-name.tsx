import { Fragment } from "react";

/**
 * A file name that wraps at its separators (after "_" or "-", before a "."; spaces already do), so a
 * narrow column shows "cursos-de-capacitación.pdf" as "cursos-de-" / "capacitación.pdf", never
 * "cursos.pd" / "f" (issue 12). A part longer than the line still breaks (overflow-wrap in CSS).
 */
export function FileName({ name }: { name: string }) {
  const parts = fileNameParts(name);
  return (
    <span className="file-name">
      {parts.map((part, i) => (
        <Fragment key={i}>
          {i > 0 ? <wbr /> : null}
          {part}
        </Fragment>
      ))}
    </span>
  );
}

/** The parts between which a file name may wrap. */
export function fileNameParts(name: string): string[] {
  return name.split(/(?<=[_-])|(?=\.)/u).filter(Boolean);
}
