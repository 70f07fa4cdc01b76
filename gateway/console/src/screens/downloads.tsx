import { ErrorBox } from '../components/states';
import { useAction } from '../components/use-action';
import { seg } from '../lib/api';
import { ApiError, toApiError } from '../lib/api-error';
import type { Session } from '../lib/session';

/**
 * Weights downloads, offered to the roles the gateway serves them to (admin, scientist). A link
 * cannot carry the API key header, so the file is fetched and handed to the browser as a blob.
 */
export function Downloads({
  session,
  federationId,
  version,
}: {
  session: Session;
  federationId: string;
  version: number;
}) {
  const download = useAction(async (file: string) => {
    const response = await fetch(`/federations/${seg(federationId)}/models/${version}/${file}`, {
      headers: { 'x-api-key': session.api.apiKey },
    }).catch((error: unknown) => {
      throw new ApiError(0, 'UNREACHABLE', String(error));
    });
    if (!response.ok) throw await toApiError(response);
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = `${federationId}-v${version}-${file}`;
    link.click();
    setTimeout(() => {
      URL.revokeObjectURL(url);
    }, 10_000);
  });
  return (
    <div class="downloads">
      <h3>Downloads</h3>
      {['weights.flw1', 'model.json', 'weights.bin'].map((file) => (
        <button
          type="button"
          class="download"
          data-file={file}
          disabled={download.pending}
          onClick={() => void download.run(file)}
        >
          Download {file}
        </button>
      ))}
      {download.error && <ErrorBox error={download.error} title="Download failed" />}
    </div>
  );
}
