import { useState, type SubmitEvent, type ReactNode } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { ApiError, describeError } from "../api/errors";
import { safeNext, useAuth } from "../auth/AuthContext";
import { Field } from "../components/Field";
import { Logo } from "../components/icons";
import { useDocumentTitle } from "../hooks/useDocumentTitle";

function AuthLayout({ title, subtitle, children, footer }: { title: string; subtitle: string; children: ReactNode; footer: ReactNode }) {
  return (
    <div className="auth">
      <div className="auth__art" aria-hidden="true">
        <div className="auth__mosaic">
          {Array.from({ length: 12 }, (_, i) => (
            <span key={i} className={`auth__tile auth__tile--${i % 6}`} />
          ))}
        </div>
      </div>
      <main className="auth__panel" id="main">
        <div className="auth__card">
          <div className="auth__brand">
            <Logo size={40} />
            <span>Albumen</span>
          </div>
          <h1 className="auth__title">{title}</h1>
          <p className="auth__subtitle">{subtitle}</p>
          {children}
          <p className="auth__footer">{footer}</p>
        </div>
      </main>
    </div>
  );
}

/** Field errors from the problem's `errors`, or one message for the whole form. */
function useFormErrors() {
  const [fields, setFields] = useState<Record<string, string>>({});
  const [form, setForm] = useState<string | null>(null);
  return {
    fields,
    form,
    reset() {
      setFields({});
      setForm(null);
    },
    show(error: unknown, whenUnauthorized?: string) {
      if (error instanceof ApiError) {
        const byField = error.fieldErrors();
        if (Object.keys(byField).length > 0) {
          setFields(byField);
          return;
        }
        if (error.status === 401 && whenUnauthorized) {
          setForm(whenUnauthorized);
          return;
        }
      }
      setForm(describeError(error));
    },
  };
}

function focusFirstInvalid(form: HTMLFormElement | null) {
  requestAnimationFrame(() => form?.querySelector<HTMLInputElement>("[aria-invalid='true']")?.focus());
}

export function LoginPage() {
  const { user, login } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get("next"));
  const errors = useFormErrors();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const expired = params.get("expired") === "1";
  useDocumentTitle("Log in");

  if (user && !busy) return <Navigate to={next} replace />;

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    errors.reset();
    setBusy(true);
    try {
      await login(username.trim(), password);
      void navigate(next, { replace: true });
    } catch (error) {
      errors.show(error, "That username or password isn't right.");
      focusFirstInvalid(form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout
      title="Welcome back"
      subtitle="Log in to see your photos."
      footer={
        <>
          New here? <Link to={`/signup${params.size ? `?${params.toString()}` : ""}`}>Create an account</Link>
        </>
      }
    >
      {expired && (
        <p className="notice" role="status">
          Your session ended. Log in again to pick up where you left off.
        </p>
      )}
      <form className="auth__form" onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label="Username or e-mail"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          error={errors.fields.username}
          required
          autoFocus
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.fields.password}
          required
        />
        {errors.form && (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        )}
        <button type="submit" className="button button--primary button--large button--block" disabled={busy}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </form>
    </AuthLayout>
  );
}

export function SignupPage() {
  const { user, register } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get("next"));
  const errors = useFormErrors();
  const [username, setUsername] = useState("");
  const [email, setEmail] = useState("");
  useDocumentTitle("Create account");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);

  if (user && !busy) return <Navigate to={next} replace />;

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    errors.reset();
    setBusy(true);
    try {
      await register(username.trim(), email.trim(), password);
      void navigate(next, { replace: true });
    } catch (error) {
      errors.show(error);
      focusFirstInvalid(form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout
      title="Create your account"
      subtitle="A private home for your photos. Share only what you choose."
      footer={
        <>
          Already have an account? <Link to={`/login${params.size ? `?${params.toString()}` : ""}`}>Log in</Link>
        </>
      }
    >
      <form className="auth__form" onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label="Username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          error={errors.fields.username}
          hint="3–32 characters: letters, digits, _ . -"
          required
          autoFocus
        />
        <Field
          label="E-mail"
          name="email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.fields.email}
          required
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.fields.password}
          hint="At least 8 characters."
          required
        />
        {errors.form && (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        )}
        <button type="submit" className="button button--primary button--large button--block" disabled={busy}>
          {busy ? "Creating your account…" : "Create account"}
        </button>
      </form>
    </AuthLayout>
  );
}
