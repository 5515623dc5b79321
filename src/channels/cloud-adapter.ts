/**
 * The Bot Framework adapter the HTTP server uses: botbuilder's CloudAdapter, entered through
 * processActivity with an activity the server has already parsed and checked, and an
 * authentication that reuses its outbound clients.
 *
 *
 * CloudAdapter asks the authentication for a new ConnectorClient and a new UserTokenClient on
 * every turn, and each one builds a whole Azure HTTP pipeline (about a tenth of a turn's CPU
 * in `npm run bench:http`). Neither client holds per-turn state: a ConnectorClient is its
 * credentials (which cache and refresh their own token) plus a base URL, so one per
 * (app id, serviceUrl, audience) is enough, as the older BotFrameworkAdapter kept them.
 * Everything else, above all request authentication, is the wrapped object's unchanged.
 */
import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import {
  AuthenticationConstants,
  BotFrameworkAuthentication,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';
import { Lru } from '../store/lru.js';

/** Distinct (app, serviceUrl, audience) clients kept; channels use a handful of service URLs. */
const MAX_CLIENTS = 64;

/** The cached value for `key`, made (and kept) on first use. */
function cached<V>(cache: Lru<string, V>, key: string, make: () => V): V {
  let v = cache.get(key);
  if (v === undefined) {
    v = make();
    cache.set(key, v);
  }
  return v;
}

class ReusingConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly appId: string,
    private readonly clients: Lru<string, Promise<ConnectorClient>>,
  ) {
    super();
  }

  override create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    const key = `${this.appId}\u0000${serviceUrl}\u0000${audience ?? ''}`;
    const client = cached(this.clients, key, () => this.inner.create(serviceUrl, audience));
    // A failed creation is not kept: the next turn tries again.
    client.catch(() => this.clients.delete(key));
    return client;
  }
}

export class ReusingBotFrameworkAuthentication extends BotFrameworkAuthentication {
  private readonly connectors = new Lru<string, Promise<ConnectorClient>>(MAX_CLIENTS);
  private readonly tokenClients = new Lru<string, Promise<UserTokenClient>>(MAX_CLIENTS);

  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  private wrap(result: AuthenticateRequestResult): AuthenticateRequestResult {
    if (!result.connectorFactory) return result;
    const appId = appIdOf(result.claimsIdentity);
    return { ...result, connectorFactory: new ReusingConnectorFactory(result.connectorFactory, appId, this.connectors) };
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.wrap(await this.inner.authenticateRequest(activity, authHeader));
  }

  override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.wrap(await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new ReusingConnectorFactory(this.inner.createConnectorFactory(claimsIdentity), appIdOf(claimsIdentity), this.connectors);
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const key = appIdOf(claimsIdentity);
    const client = cached(this.tokenClients, key, () => this.inner.createUserTokenClient(claimsIdentity));
    client.catch(() => this.tokenClients.delete(key));
    return client;
  }

  override createBotFrameworkClient() {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }
}

/** The app id the wrapped authentication builds credentials for (its own rule: audience, then appid). */
function appIdOf(identity: ClaimsIdentity): string {
  return identity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? identity.getClaimValue(AuthenticationConstants.AppIdClaim) ?? '';
}

/** CloudAdapter with its turn entry point public, for a server that parses and checks bodies itself. */
export class FanzhaAdapter extends CloudAdapter {
  constructor(auth: BotFrameworkAuthentication) {
    super(new ReusingBotFrameworkAuthentication(auth));
  }

  /** Authenticate and run one turn; the result is the expectReplies / invoke body, if any. */
  runTurn(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}
