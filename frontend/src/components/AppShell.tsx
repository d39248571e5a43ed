import { useEffect, useRef, useState, type ReactNode } from "react";
import { Link, NavLink, useNavigate } from "react-router";
import { useAuth } from "../auth/AuthContext";
import { formatBytes, plural } from "../lib/format";
import { AlbumIcon, Logo, LogoutIcon, PhotosIcon, TrashIcon } from "./icons";

/** The signed-in frame: brand, the places (Photos, Albums, Trash), and the account menu. */
export function AppShell({ children }: { children: ReactNode }) {
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="Albumen home">
          <Logo />
          <span className="brand__name">Albumen</span>
        </Link>
        <nav className="mainnav" aria-label="Main">
          <NavLink to="/" end className="mainnav__link">
            <PhotosIcon /> <span>Photos</span>
          </NavLink>
          <NavLink to="/albums" className="mainnav__link">
            <AlbumIcon /> <span>Albums</span>
          </NavLink>
          <NavLink to="/trash" className="mainnav__link mainnav__link--compact" aria-label="Trash" title="Trash">
            <TrashIcon /> <span>Trash</span>
          </NavLink>
        </nav>
        <AccountMenu />
      </header>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

function AccountMenu() {
  const { user, logout, refreshUser } = useAuth();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    void refreshUser().catch(() => undefined);
    const onDown = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open, refreshUser]);

  if (!user) return null;
  const initial = user.username.charAt(0).toUpperCase();
  return (
    <div className="account" ref={root}>
      <button
        type="button"
        className="avatar"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls="account-menu"
        aria-label={`Account: ${user.username}`}
        title={`Account: ${user.username}`}
        onClick={() => setOpen((v) => !v)}
      >
        {initial}
      </button>
      {open && (
        <div id="account-menu" className="account__menu">
          <div className="account__who">
            <span className="avatar avatar--large" aria-hidden="true">
              {initial}
            </span>
            <div>
              <p className="account__name">{user.username}</p>
              <p className="account__email">{user.email}</p>
            </div>
          </div>
          <p className="account__stats">
            {plural(user.stats.images, "photo")} · {plural(user.stats.albums, "album")} ·{" "}
            {formatBytes(user.stats.bytes)} used
          </p>
          {user.stats.trash.images + user.stats.trash.albums > 0 && (
            <p className="account__stats">
              <Link to="/trash" onClick={() => setOpen(false)}>
                Trash
              </Link>
              : {plural(user.stats.trash.images, "photo")} · {plural(user.stats.trash.albums, "album")} ·{" "}
              {formatBytes(user.stats.trash.bytes)}
            </p>
          )}
          <button
            type="button"
            className="button button--ghost button--block"
            onClick={() => {
              setOpen(false);
              void logout().then(() => navigate("/login", { replace: true }));
            }}
          >
            <LogoutIcon size={18} /> Log out
          </button>
        </div>
      )}
    </div>
  );
}
