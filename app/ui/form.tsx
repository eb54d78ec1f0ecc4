import { useEffect, useRef, type ReactNode } from "react";
import { useRouteLoaderData } from "react-router";
import type { loader as rootLoader } from "~/root";

/** The hidden CSRF field; every <Form method="post"> contains one. */
export function CsrfInput() {
  const root = useRouteLoaderData<typeof rootLoader>("root");
  return <input type="hidden" name="csrf" value={root?.csrfToken ?? ""} />;
}

export type FieldErrors = Record<string, string> | undefined;

export const fieldId = (name: string) => `campo-${name}`;

/**
 * The error summary at the top of a form. It takes the focus when it appears
 * (GOV.UK pattern) and links each message to its field.
 */
export function ErrorSummary({ errors, labels }: { errors: FieldErrors; labels?: Record<string, string> }) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors ?? {});
  useEffect(() => {
    if (!entries.length) return;
    // What was typed is kept after an error, passwords aside (as a page without JavaScript,
    // which never sends them back): the form's password fields are emptied.
    const form = ref.current?.closest("form") ?? ref.current?.parentElement?.querySelector("form");
    form?.querySelectorAll<HTMLInputElement>('input[type="password"]').forEach((input) => (input.value = ""));
    ref.current?.focus();
  }, [errors]);
  if (!entries.length) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">Revise los datos ingresados</h2>
      <ul>
        {entries.map(([name, message]) => (
          <li key={name}>
            {name === "form" ? (
              message
            ) : (
              <a href={`#${fieldId(name)}`}>{labels?.[name] ? `${labels[name]}: ${message}` : message}</a>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

type BaseProps = {
  name: string;
  label: string;
  errors?: FieldErrors;
  hint?: ReactNode;
  required?: boolean;
};

function describedBy(name: string, hint: unknown, error: unknown) {
  const ids = [hint ? `${fieldId(name)}-hint` : "", error ? `${fieldId(name)}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

function FieldMessages({ name, hint, error }: { name: string; hint?: ReactNode; error?: string }) {
  return (
    <>
      {hint ? (
        <div className="hint" id={`${fieldId(name)}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <p className="field-error" id={`${fieldId(name)}-error`}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
    </>
  );
}

export function TextField({
  name, label, errors, hint, required, defaultValue, type = "text", autoComplete, inputMode, maxLength, readOnly, list, children,
}: BaseProps & {
  defaultValue?: string;
  type?: "text" | "email" | "password" | "tel" | "date" | "number" | "search";
  autoComplete?: string;
  inputMode?: "numeric" | "text" | "tel" | "email";
  maxLength?: number;
  readOnly?: boolean;
  /** The id of a <datalist> of suggestions (among the children). */
  list?: string;
  children?: ReactNode;
}) {
  const error = errors?.[name];
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={fieldId(name)}>
        {label}
        {required ? null : <span className="optional"> (opcional)</span>}
      </label>
      <FieldMessages name={name} hint={hint} error={error} />
      <input
        id={fieldId(name)}
        name={name}
        type={type}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        inputMode={inputMode}
        maxLength={maxLength}
        readOnly={readOnly}
        list={list}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
        aria-required={required || undefined}
      />
      {children}
    </div>
  );
}

export function SelectField({
  name, label, errors, hint, required, defaultValue, options, placeholder, onChange,
}: BaseProps & {
  defaultValue?: string;
  options: readonly { value: string; label: string }[];
  placeholder?: string;
  onChange?: (event: React.ChangeEvent<HTMLSelectElement>) => void;
}) {
  const error = errors?.[name];
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={fieldId(name)}>
        {label}
        {required ? null : <span className="optional"> (opcional)</span>}
      </label>
      <FieldMessages name={name} hint={hint} error={error} />
      <select
        id={fieldId(name)}
        name={name}
        defaultValue={defaultValue ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
        aria-required={required || undefined}
        onChange={onChange}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function RadioGroup({
  name, label, errors, hint, defaultValue, options,
}: BaseProps & { defaultValue?: string; options: readonly { value: string; label: string }[] }) {
  const error = errors?.[name];
  return (
    <fieldset
      className={`field${error ? " field--error" : ""}`}
      id={fieldId(name)}
      aria-describedby={describedBy(name, hint, error)}
    >
      <legend>{label}</legend>
      <FieldMessages name={name} hint={hint} error={error} />
      <div className="radios">
        {options.map((o) => (
          <label key={o.value} className="radio">
            <input type="radio" name={name} value={o.value} defaultChecked={defaultValue === o.value} /> {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function CheckboxField({
  name, label, errors, hint, defaultChecked,
}: Omit<BaseProps, "label"> & { label: ReactNode; defaultChecked?: boolean }) {
  const error = errors?.[name];
  return (
    <div className={`field field--checkbox${error ? " field--error" : ""}`}>
      <FieldMessages name={name} hint={hint} error={error} />
      <input
        type="checkbox"
        id={fieldId(name)}
        name={name}
        defaultChecked={defaultChecked}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
      />
      <label htmlFor={fieldId(name)}>{label}</label>
    </div>
  );
}
