// The secrets the privacy tests plant in every channel Repro reads (the
// page `/privacy.html` and its frames hold or send them), by channel, and
// the check that none is in a text. Shared by the Chromium and Firefox tests.
import assert from 'node:assert/strict';

export const SECRETS = {
  'typed password': 'Typed-Pass-Wd7',
  'typed card number': '4242424242424242',
  'hidden input': 'hidden-csrf-Zq8Rt5Wn',
  'textarea edited after load': 'Textarea-Secret-Yh3',
  'contenteditable': 'Editable-Secret-Rr8',
  'email in text, title, placeholder, console, page title': 'grace.hopper@navy.example',
  'card number in text': '4111 1111 1111 1111',
  'IBAN in text': 'DE89 3704 0044 0532 0130 00',
  'JWT in text': 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJncmFjZSJ9',
  'data-repro-mask text': 'Classified-Text-Kx7',
  'bytes of an image in a masked region': 'Masked-Image-Bytes-Rk4',
  'data-repro-block text': 'Blocked-Text-Pm3',
  'tester block selector text': 'Tester-Block-Jd2',
  'API key in an error message': 'sk_live_51HqLyjWDarjtT1zdp7dcXYZ',
  'token in a URL': 'url-Token-Hn4',
  'token in the address of a picture the page loaded': 'img-Token-Wv7',
  'Authorization header': 'header-Token-Qe5',
  'password key in a JSON body': 'json-Password-Lk9',
  'password in a form-encoded body': 'form-Password-Tc1',
  'password key in a JSON response body': 'resp-Password-Xx2',
  'token key in a nested JSON response body': 'resp-Token-Mm8',
  'cookie': 'cookie-Secret-Vb6',
  'password key in a JSON body cut at the size limit': 'cut-Password-Fz2',
  'password key in a JSON body nested 200 deep': 'deep-Password-Wq4',
  'password element in an XML body': 'xml-Password-Jq5',
  'secret attribute in an XML body': 'xml-Attr-Secret-Pp1',
  'value set from script': 'Script-Set-Secret-Qa4',
  'email in a rule a script inserted': 'styled.rule@secret.example',
  'typed in an open shadow root': 'Open-Shadow-Typed-Rt6',
  'typed in a closed shadow root': 'Closed-Shadow-Typed-Nm3',
  'text in a closed shadow root under a masked host': 'Shadow-Masked-Text-Hb4',
  'typed in a same-origin frame': 'Frame-Typed-Secret-Zr2',
  'text in a same-origin frame under a masked element': 'Frame-Masked-Text-Lp8',
  'token in an address a script pushed': 'push-Token-Yd3',
  'typed in an editor frame in design mode': 'Design-Mode-Typed-Qx9',
  'typed in a frame of another origin': 'Cross-Typed-Secret-Tb6',
  'text in a frame of another origin under a masked element': 'Cross-Masked-Text-Wq5',
  'API key logged in a frame of another origin': 'sk_live_51FrameKeyQwErTy12345',
  'password sent from a frame of another origin': 'frame-Password-Gh7',
};

/** Fail naming the channel if any planted secret is in `text`. */
export function assertNoSecrets(where, text) {
  for (const [channel, secret] of Object.entries(SECRETS)) {
    assert.ok(!text.includes(secret), `${channel} (${secret}) found in ${where}`);
  }
}
