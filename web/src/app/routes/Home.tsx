import { ArrowRight, Heart, Images, Lock, Search, Sparkles, WifiOff } from 'lucide-react';
import { Link } from 'react-router';
import { useAuth } from '../../features/auth/AuthContext';
import { ExampleArt } from '../../components/image/ExampleArt';
import { EXAMPLES } from '../../components/image/examples';
import { buttonClasses } from '../../components/ui/buttonStyles';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';

const FEATURES = [
  {
    Icon: Sparkles,
    title: 'Words in, pictures out',
    text: 'Describe a scene, pick an aspect ratio and style, and get up to four images at once.',
  },
  {
    Icon: Search,
    title: 'A gallery you can search',
    text: 'Every image keeps its prompt and settings. Find it again by any word you used.',
  },
  {
    Icon: Heart,
    title: 'Favourite, download, reuse',
    text: 'Star the keepers, download originals, and reuse exact settings with one click.',
  },
  {
    Icon: Lock,
    title: 'Self-hosted and private',
    text: 'Runs on your own machine. Your prompts and images never leave your server.',
  },
];

export default function HomePage() {
  useDocumentTitle(undefined);
  const auth = useAuth();
  const signedIn = auth.status === 'signed-in';

  return (
    <div className="overflow-hidden">
      <section className="relative">
        <div
          aria-hidden="true"
          className="pointer-events-none absolute -top-40 left-1/2 -z-10 h-[36rem] w-[60rem] -translate-x-1/2 rounded-full bg-linear-to-tr from-brand-400/30 via-fuchsia-400/20 to-amber-300/20 blur-3xl dark:from-brand-600/25 dark:via-fuchsia-600/15 dark:to-amber-500/10"
        />
        <div className="mx-auto max-w-6xl px-4 pb-12 pt-16 text-center sm:px-6 sm:pt-24">
          <p className="mx-auto inline-flex items-center gap-2 rounded-full border border-zinc-200 bg-white/70 px-3 py-1 text-xs font-medium text-zinc-700 shadow-xs backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/70 dark:text-zinc-300">
            <WifiOff className="size-3.5" aria-hidden="true" />
            Works fully offline · FLUX when you connect it
          </p>
          <h1 className="mx-auto mt-6 max-w-3xl text-4xl font-semibold tracking-tight text-balance sm:text-6xl">
            Describe it.{' '}
            <span className="bg-linear-to-r from-brand-600 via-fuchsia-600 to-amber-500 bg-clip-text text-transparent dark:from-brand-400 dark:via-fuchsia-400 dark:to-amber-300">
              See it.
            </span>{' '}
            Keep it.
          </h1>
          <p className="mx-auto mt-5 max-w-2xl text-base text-pretty text-zinc-600 sm:text-lg dark:text-zinc-400">
            PromptCanvas Pro is your own AI image studio. Write a sentence, get a picture, and build
            a personal gallery you can search, favourite, download and reuse.
          </p>
          <div className="mt-8 flex flex-col items-center justify-center gap-3 sm:flex-row">
            {signedIn ? (
              <Link to="/generate" className={buttonClasses('primary', 'lg')}>
                <Sparkles className="size-4" aria-hidden="true" />
                Start generating
              </Link>
            ) : (
              <Link to="/sign-up" className={buttonClasses('primary', 'lg')}>
                Create a free account
                <ArrowRight className="size-4" aria-hidden="true" />
              </Link>
            )}
            <Link
              to={signedIn ? '/gallery' : '/sign-in'}
              className={buttonClasses('secondary', 'lg')}
            >
              {signedIn ? (
                <>
                  <Images className="size-4" aria-hidden="true" />
                  Open your gallery
                </>
              ) : (
                'I already have an account'
              )}
            </Link>
          </div>
        </div>
      </section>

      <section aria-labelledby="examples-title" className="mx-auto max-w-6xl px-4 sm:px-6">
        <h2 id="examples-title" className="sr-only">
          Example prompts and pictures
        </h2>
        <ul className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
          {EXAMPLES.map((example, i) => (
            <li key={example.prompt} className={i % 2 === 1 ? 'lg:translate-y-6' : undefined}>
              <ExampleArt example={example} />
            </li>
          ))}
        </ul>
      </section>

      <section
        aria-labelledby="features-title"
        className="mx-auto max-w-6xl px-4 pb-20 pt-20 sm:px-6"
      >
        <h2 id="features-title" className="text-center text-2xl font-semibold tracking-tight">
          Everything a creative studio needs
        </h2>
        <ul className="mt-10 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {FEATURES.map(({ Icon, title, text }) => (
            <li
              key={title}
              className="rounded-2xl border border-zinc-200 bg-white p-5 shadow-xs dark:border-zinc-800 dark:bg-zinc-900"
            >
              <span className="flex size-10 items-center justify-center rounded-xl bg-brand-50 text-brand-600 dark:bg-brand-500/10 dark:text-brand-300">
                <Icon className="size-5" aria-hidden="true" />
              </span>
              <h3 className="mt-4 font-semibold">{title}</h3>
              <p className="mt-1.5 text-sm text-zinc-600 dark:text-zinc-400">{text}</p>
            </li>
          ))}
        </ul>
        <div className="mt-14 flex flex-col items-center gap-4 rounded-3xl bg-linear-to-br from-brand-600 to-fuchsia-600 px-6 py-10 text-center text-white shadow-xl shadow-brand-600/20">
          <h2 className="text-2xl font-semibold tracking-tight">
            Your next picture is one sentence away
          </h2>
          <Link
            to={signedIn ? '/generate' : '/sign-up'}
            className="inline-flex h-12 items-center gap-2 rounded-xl bg-white px-6 font-medium text-brand-700 shadow-sm transition hover:bg-brand-50"
          >
            {signedIn ? 'Go to Generate' : 'Get started — it’s free'}
            <ArrowRight className="size-4" aria-hidden="true" />
          </Link>
        </div>
      </section>
    </div>
  );
}
