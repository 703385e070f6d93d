"use client";
// Shown when rendering fails; internal error text is never displayed.
import { useEffect, useState } from "react";
import en from "@/messages/client/en.json";
import nb from "@/messages/client/nb.json";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const [text, setText] = useState(en);
  useEffect(() => {
    if (document.documentElement.lang === "nb") setText(nb);
  }, []);
  return (
    <main id="main" className="mx-auto max-w-lg px-4 py-16 text-center">
      <h1 className="text-2xl font-semibold">{text.errorTitle}</h1>
      <p className="mt-3 text-slate-700 dark:text-slate-300">{text.errorBody}</p>
      <button type="button" onClick={reset} className="mt-6 rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white">
        {text.retry}
      </button>
    </main>
  );
}
