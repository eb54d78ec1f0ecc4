import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import { useActionData, useNavigation, useRouteLoaderData } from "react-router";
import type { loader as rootLoader } from "~/root";

/** The hidden CSRF field; every <Form method="post"> contains one. */
export function CsrfInput() {
  const root = useRouteLoaderData<typeof rootLoader>("root");
  return <input type="hidden" name="csrf" value={root?.csrfToken ?? ""} />;
}

export type FieldErrors = Record<string, string> | undefined;

export const fieldId = (name: string) => `campo-${name}`;

/*
 * What is typed is what is sent. Two things used to throw typed values away:
 * - a form keyed by the location, so that it started again from the server's values after a
 *   save, was also remounted by any other navigation to the page (a click on "Mi Perfil" while
 *   on Mi Perfil): what was typed while that navigation loaded was lost;
 * - state that drives a form (the country, the nationality, the departamento) starting from the
 *   server's value at hydration, while the visitor had already chosen another in the
 *   server-rendered HTML; the next render then put the server's choice back.
 * Forms use the two hooks below instead.
 */

/**
 * A key for a form that starts it again from the server's values only after ITS OWN
 * submission ended in a new page (a redirect: PRG) — never on any other navigation or
 * revalidation. Give the form `key` and `onSubmit`.
 */
export function useResetAfterSubmit() {
  const navigation = useNavigation();
  const actionData = useActionData();
  const [generation, setGeneration] = useState(0);
  // "sent" on submit, "pending" once the router has taken it: a submit that never became a
  // navigation (prevented, invalid) cannot reset the form at some later navigation.
  const phase = useRef<"idle" | "sent" | "pending">("idle");
  useEffect(() => {
    if (navigation.state !== "idle") {
      if (phase.current === "sent") phase.current = "pending";
      return;
    }
    if (phase.current !== "pending") return;
    phase.current = "idle";
    // An answer with errors keeps what was typed (it is echoed back); a redirect means saved.
    if (actionData === undefined) setGeneration((g) => g + 1);
  }, [navigation.state, actionData]);
  return {
    key: generation,
    onSubmit: () => {
      phase.current = "sent";
    },
  };
}

/**
 * State that follows a form control (a select whose choice changes the rest of the form),
 * starting from the server's value; on mount the control's current value is adopted when the
 * visitor already changed it in the server-rendered page, before its script ran. `onAdopt`
 * then does what the control's onChange would have done.
 */
export function useFieldState(name: string, initial: string, onAdopt?: (value: string) => void) {
  const [value, setValue] = useState(initial);
  useLayoutEffect(() => {
    const control = document.getElementById(fieldId(name)) as HTMLInputElement | HTMLSelectElement | null;
    if (!control || control.value === initial) return;
    setValue(control.value);
    onAdopt?.(control.value);
    // Once, when the page becomes interactive: later changes come through onChange.
  }, []);
  return [value, setValue] as const;
}

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

/** A field's frame: the visible label ("(opcional)" unless required), its hint and error, then the control. */
function LabelledField({ name, label, hint, required, error, children }: Omit<BaseProps, "errors"> & { error?: string; children: ReactNode }) {
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={fieldId(name)}>
        {label}
        {required ? null : <span className="optional"> (opcional)</span>}
      </label>
      <FieldMessages name={name} hint={hint} error={error} />
      {children}
    </div>
  );
}

/** What a text control says of itself: its field, its error and its hint (aria). */
const controlProps = (name: string, hint: unknown, error: string | undefined, required?: boolean) => ({
  id: fieldId(name),
  name,
  "aria-invalid": error ? true : undefined,
  "aria-describedby": describedBy(name, hint, error),
  "aria-required": required || undefined,
});

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
    <LabelledField name={name} label={label} hint={hint} required={required} error={error}>
      <input
        {...controlProps(name, hint, error, required)}
        type={type}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        inputMode={inputMode}
        maxLength={maxLength}
        readOnly={readOnly}
        list={list}
      />
      {children}
    </LabelledField>
  );
}

/** A multi-line text field, as TextField. */
export function TextAreaField({
  name, label, errors, hint, required, defaultValue, maxLength, rows = 4,
}: BaseProps & { defaultValue?: string; maxLength?: number; rows?: number }) {
  const error = errors?.[name];
  return (
    <LabelledField name={name} label={label} hint={hint} required={required} error={error}>
      <textarea {...controlProps(name, hint, error, required)} rows={rows} maxLength={maxLength} defaultValue={defaultValue} />
    </LabelledField>
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
    <LabelledField name={name} label={label} hint={hint} required={required} error={error}>
      <select {...controlProps(name, hint, error, required)} defaultValue={defaultValue ?? ""} onChange={onChange}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </LabelledField>
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
