import { Navigate, Route, Routes } from "react-router";
import { AuthProvider } from "./auth/AuthProvider";
import { RequireAuth } from "./auth/RequireAuth";
import { AppShell } from "./components/AppShell";
import { ToastProvider } from "./components/Toasts";
import { AlbumPage } from "./pages/AlbumPage";
import { AlbumsPage } from "./pages/AlbumsPage";
import { LoginPage, SignupPage } from "./pages/AuthPages";
import { NotFoundPage } from "./pages/NotFoundPage";
import { TrashPage } from "./features/trash/TrashPage";
import { PhotosPage } from "./pages/PhotosPage";
import { SharedAlbumPage } from "./pages/SharedAlbumPage";

const signedIn = (page: React.ReactNode) => (
  <RequireAuth>
    <AppShell>{page}</AppShell>
  </RequireAuth>
);

/** Every client-side route (the server answers index.html for all of them). */
export function AppRoutes() {
  return (
    <ToastProvider>
      <AuthProvider>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/signup" element={<SignupPage />} />
          <Route path="/shared/albums/:id" element={<SharedAlbumPage />} />
          <Route path="/" element={signedIn(<PhotosPage />)} />
          <Route path="/albums" element={signedIn(<AlbumsPage />)} />
          <Route path="/albums/:id" element={signedIn(<AlbumPage />)} />
          <Route path="/trash" element={signedIn(<TrashPage />)} />
          <Route path="/photos" element={<Navigate to="/" replace />} />
          <Route path="*" element={signedIn(<NotFoundPage />)} />
        </Routes>
      </AuthProvider>
    </ToastProvider>
  );
}
