import { Link } from "react-router";
import { EmptyState, PhotoStackArt } from "../components/EmptyState";
import { useDocumentTitle } from "../hooks/useDocumentTitle";

export function NotFound({ title, text }: { title: string; text: string }) {
  useDocumentTitle(title);
  return (
    <div className="page">
      <EmptyState
        art={<PhotoStackArt />}
        title={title}
        action={
          <Link to="/" className="button button--primary">
            Go to your photos
          </Link>
        }
      >
        <p>{text}</p>
      </EmptyState>
    </div>
  );
}

export function NotFoundPage() {
  return <NotFound title="Nothing here" text="This page does not exist." />;
}
