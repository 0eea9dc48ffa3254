// The identity service's answers: the identity URL (/id/<org>/<user>) and OpenID Connect userinfo.
import type { Store } from './store';
import { formatDateTime } from './values';

export function identityUrl(baseUrl: string, store: Store): string {
  return `${baseUrl}/id/${store.orgId}/${store.userId}`;
}

/** Salesforce's identity response, with "{version}" left in the URLs unless a version is asked for. */
export function identity(baseUrl: string, store: Store, version = '{version}') {
  const user = store.get('User', store.userId)!;
  const org15 = store.orgId.slice(0, 15);
  return {
    id: identityUrl(baseUrl, store),
    asserted_user: true,
    user_id: store.userId,
    organization_id: store.orgId,
    username: user.Username,
    nick_name: String(user.Username).split('@')[0],
    display_name: user.Name,
    email: user.Email,
    email_verified: true,
    first_name: user.FirstName,
    last_name: user.LastName,
    timezone: 'Etc/UTC',
    photos: { picture: `${baseUrl}/profilephoto/005/F`, thumbnail: `${baseUrl}/profilephoto/005/T` },
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: {
      enterprise: `${baseUrl}/services/Soap/c/${version}/${org15}`,
      metadata: `${baseUrl}/services/Soap/m/${version}/${org15}`,
      partner: `${baseUrl}/services/Soap/u/${version}/${org15}`,
      rest: `${baseUrl}/services/data/v${version}/`,
      sobjects: `${baseUrl}/services/data/v${version}/sobjects/`,
      search: `${baseUrl}/services/data/v${version}/search/`,
      query: `${baseUrl}/services/data/v${version}/query/`,
      recent: `${baseUrl}/services/data/v${version}/recent/`,
      tooling_soap: `${baseUrl}/services/Soap/T/${version}/${org15}`,
      tooling_rest: `${baseUrl}/services/data/v${version}/tooling/`,
      profile: `${baseUrl}/${store.userId}`,
      custom_domain: baseUrl,
    },
    active: true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: 0,
    last_modified_date: formatDateTime(user.LastModifiedDate as number).replace('+0000', 'Z'),
    is_app_installed: true,
  };
}

/** OpenID Connect userinfo: the same person in the standard claim names. */
export function userInfo(baseUrl: string, store: Store) {
  const id = identity(baseUrl, store);
  return {
    sub: id.id,
    user_id: id.user_id,
    organization_id: id.organization_id,
    preferred_username: id.username,
    nickname: id.nick_name,
    name: id.display_name,
    email: id.email,
    email_verified: true,
    given_name: id.first_name,
    family_name: id.last_name,
    zoneinfo: id.timezone,
    photos: id.photos,
    profile: id.urls.profile,
    picture: id.photos.picture,
    address: {},
    urls: id.urls,
    active: true,
    user_type: id.user_type,
    language: id.language,
    locale: id.locale,
    utcOffset: id.utcOffset,
    updated_at: id.last_modified_date,
    is_app_installed: true,
  };
}
