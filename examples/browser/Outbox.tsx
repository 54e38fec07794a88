// What `publish` has posted so far (text only).
import { useEffect, useState } from 'react';
import { OUTBOX, posts, type Post } from './outbox.ts';

export function Outbox() {
  const [list, setList] = useState<Post[]>(posts);
  useEffect(() => {
    const reread = () => setList(posts());
    window.addEventListener(OUTBOX, reread);
    window.addEventListener('storage', reread); // another tab published
    return () => { window.removeEventListener(OUTBOX, reread); window.removeEventListener('storage', reread); };
  }, []);
  return (
    <section aria-label="Outbox">
      <h2>Outbox ({list.length})</h2>
      {list.length === 0 ? <p>Nothing published yet.</p> : (
        <ol>
          {list.map((p) => (
            <li key={p.at} aria-label="Post">
              <strong>{p.title}</strong>
              <pre>{p.body}</pre>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
