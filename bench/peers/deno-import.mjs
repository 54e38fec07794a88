await import(new URL(Deno.args[0], import.meta.url).href);
