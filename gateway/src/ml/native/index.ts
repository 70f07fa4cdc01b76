/** `@fedledger/gateway/native`: where the optional native TensorFlow backend lives and how it was set up. */
export { nativeRoot } from './native-location';
export { readSetupRecord } from './setup-native';
