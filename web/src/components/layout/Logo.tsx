import { Link } from 'react-router';

export function Logo() {
  return (
    <Link to="/" className="flex items-center gap-2.5 rounded-lg font-semibold tracking-tight">
      <span
        aria-hidden="true"
        className="relative flex size-8 items-center justify-center overflow-hidden rounded-xl bg-linear-to-br from-brand-500 to-fuchsia-500 shadow-sm shadow-brand-500/40"
      >
        <span className="absolute right-1.5 top-1.5 size-2 rounded-full bg-white/90" />
        <span className="absolute -bottom-1 left-0.5 h-4 w-6 rotate-[-20deg] rounded-sm bg-white/85" />
      </span>
      <span className="text-[15px]">
        PromptCanvas <span className="text-brand-600 dark:text-brand-400">Pro</span>
      </span>
    </Link>
  );
}
