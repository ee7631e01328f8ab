#include "i18n/messages.h"

#include <algorithm>
#include <cstdlib>
#include <unordered_map>

namespace nb::i18n {
namespace {

struct Text {
  const char* en;
  const char* es;
};

// One table so a missing translation shows up beside its English twin.
const std::unordered_map<std::string, Text>& Table() {
  static const std::unordered_map<std::string, Text> table = {
      {"code.BAD_REQUEST", {"The request is malformed.", "La solicitud no es válida."}},
      {"code.VALIDATION_FAILED", {"Some fields are not valid.", "Algunos campos no son válidos."}},
      {"code.UNAUTHENTICATED", {"Please sign in.", "Inicia sesión."}},
      {"code.FORBIDDEN", {"You are not allowed to do that.", "No tienes permiso para hacer eso."}},
      {"code.NOT_FOUND", {"Not found.", "No encontrado."}},
      {"code.METHOD_NOT_ALLOWED", {"Method not allowed.", "Método no permitido."}},
      {"code.CONFLICT",
       {"That conflicts with the current state.", "Eso entra en conflicto con el estado actual."}},
      {"code.PAYLOAD_TOO_LARGE",
       {"The request body is too large.", "El cuerpo de la solicitud es demasiado grande."}},
      {"code.UNSUPPORTED_MEDIA_TYPE", {"Unsupported media type.", "Tipo de contenido no admitido."}},
      {"code.RANGE_NOT_SATISFIABLE",
       {"The requested range is not available.", "El rango solicitado no está disponible."}},
      {"code.INSUFFICIENT_COINS", {"You do not have enough coins.", "No tienes suficientes monedas."}},
      {"code.RATE_LIMITED",
       {"Too many requests. Try again later.", "Demasiadas solicitudes. Inténtalo más tarde."}},
      {"code.INTERNAL", {"Something went wrong on our side.", "Algo salió mal de nuestro lado."}},
      {"code.SERVICE_UNAVAILABLE",
       {"The service is temporarily unavailable.", "El servicio no está disponible temporalmente."}},
      {"error.route_not_found", {"No such endpoint.", "Ese recurso no existe."}},
      {"error.json_malformed", {"The body is not valid JSON.", "El cuerpo no es JSON válido."}},
      {"error.json_not_object", {"The body must be a JSON object.", "El cuerpo debe ser un objeto JSON."}},
      {"error.json_content_type",
       {"Send the body as application/json.", "Envía el cuerpo como application/json."}},
      {"error.body_too_large",
       {"The body is larger than {limit} bytes.", "El cuerpo supera los {limit} bytes."}},
      {"error.cross_origin",
       {"This request must come from the app itself.", "Esta solicitud debe venir de la propia aplicación."}},
      {"error.google_not_configured",
       {"Google sign-in is not configured here.",
        "El inicio de sesión con Google no está configurado aquí."}},
      {"error.sign_in_cancelled", {"Sign-in was cancelled.", "Se canceló el inicio de sesión."}},
      {"error.sign_in_state",
       {"This sign-in link is invalid or expired. Please start again.",
        "Este enlace de inicio de sesión no es válido o caducó. Vuelve a empezar."}},
      {"error.sign_in_token",
       {"Google could not confirm who you are. Please try again.",
        "Google no pudo confirmar tu identidad. Inténtalo de nuevo."}},
      {"error.email_taken",
       {"This email already belongs to another Google account.",
        "Este correo ya pertenece a otra cuenta de Google."}},
      {"error.bad_limit",
       {"limit must be a whole number from 1 to 100.", "limit debe ser un número entero entre 1 y 100."}},
      {"error.bad_cursor", {"The page cursor is not valid.", "El cursor de página no es válido."}},
      {"error.bad_idempotency_key",
       {"The Idempotency-Key header is too long.", "El encabezado Idempotency-Key es demasiado largo."}},
      {"error.balance_negative",
       {"That would make the balance negative.", "Eso dejaría el saldo en negativo."}},
      {"error.idempotency_reused",
       {"This Idempotency-Key was already used for a different request.",
        "Esta Idempotency-Key ya se usó para otra solicitud."}},
      {"error.idempotency_image_deleted",
       {"This Idempotency-Key already made an image, which has since been deleted. Nothing was charged.",
        "Esta Idempotency-Key ya creó una imagen, que luego se eliminó. No se cobró nada."}},
      {"error.last_admin",
       {"The last admin cannot lose the admin role.", "El último administrador no puede perder su rol."}},
      {"field.invalid_email", {"Not a valid email address.", "No es un correo electrónico válido."}},
      {"field.unsupported_language", {"Unsupported language.", "Idioma no admitido."}},
      {"field.out_of_range", {"Out of range.", "Fuera de rango."}},
      {"field.must_be_nonzero", {"Must not be zero.", "No puede ser cero."}},
      {"field.roles_list", {"Must be a list of roles.", "Debe ser una lista de roles."}},
      {"field.unknown_role", {"Unknown role.", "Rol desconocido."}},
      {"field.unknown_pack", {"Unknown coin pack.", "Paquete de monedas desconocido."}},
      {"error.billing_off",
       {"Buying coins is not available here.", "La compra de monedas no está disponible aquí."}},
      {"error.stripe_signature",
       {"The Stripe signature is missing, wrong or stale.", "La firma de Stripe falta, es incorrecta o está caducada."}},
      {"error.stripe_event", {"The Stripe event is malformed.", "El evento de Stripe no es válido."}},
      {"error.daily_reward_off",
       {"There is no daily reward here.", "Aquí no hay recompensa diaria."}},
      {"error.daily_reward_claimed",
       {"You already collected today's reward. Come back tomorrow (UTC).",
        "Ya recogiste la recompensa de hoy. Vuelve mañana (UTC)."}},
      {"billing.product_name", {"{coins} coins", "{coins} monedas"}},
      {"field.required", {"This field is required.", "Este campo es obligatorio."}},
      {"field.must_be_string", {"Must be text.", "Debe ser texto."}},
      {"field.must_be_integer", {"Must be an integer.", "Debe ser un número entero."}},
      {"field.too_long", {"Too long.", "Demasiado largo."}},
      {"error.multipart_required",
       {"Send the upload as multipart/form-data with the picture in a \"file\" field.",
        "Envía la subida como multipart/form-data con la imagen en un campo \"file\"."}},
      {"error.multipart_malformed",
       {"The multipart body could not be read.", "No se pudo leer el cuerpo multipart."}},
      {"error.file_too_large",
       {"The file is larger than {limit} bytes.", "El archivo supera los {limit} bytes."}},
      {"error.not_an_image",
       {"The file is not a PNG, JPEG, WebP or GIF image.",
        "El archivo no es una imagen PNG, JPEG, WebP o GIF."}},
      {"error.bad_image_type",
       {"type must be GENERATED or UPLOADED.", "type debe ser GENERATED o UPLOADED."}},
      {"error.bad_image_status",
       {"status must be PENDING, PROCESSING, COMPLETED or FAILED.",
        "status debe ser PENDING, PROCESSING, COMPLETED o FAILED."}},
      {"error.image_not_found", {"No such image.", "No existe esa imagen."}},
      {"error.image_no_content",
       {"This image has no picture yet.", "Esta imagen todavía no tiene contenido."}},
      {"error.image_no_thumbnail", {"This image has no thumbnail.", "Esta imagen no tiene miniatura."}},
      // The gallery: favourites, search, share links, bulk delete, storage quota (issue 13, issue 12).
      {"code.QUOTA_EXCEEDED",
       {"Your storage is full. Delete some images to make room.",
        "Tu almacenamiento está lleno. Borra algunas imágenes para liberar espacio."}},
      {"error.quota_exceeded",
       {"Your storage is full ({quota} bytes). Delete some images to make room.",
        "Tu almacenamiento está lleno ({quota} bytes). Borra algunas imágenes para liberar espacio."}},
      {"error.bad_favorite_filter", {"favorite must be true or false.", "favorite debe ser true o false."}},
      {"error.share_not_completed",
       {"Only finished images can be shared.", "Solo se pueden compartir imágenes terminadas."}},
      {"error.sharing_unavailable",
       {"Sharing is not configured on this server.", "Compartir no está configurado en este servidor."}},
      {"error.share_not_found",
       {"This link does not exist or was revoked.", "Este enlace no existe o fue revocado."}},
      {"field.must_be_boolean", {"Must be true or false.", "Debe ser true o false."}},
      {"field.ids_list",
       {"Must be a list of 1 to 100 image ids.", "Debe ser una lista de 1 a 100 identificadores de imagen."}},
      {"share.page_title", {"Shared image", "Imagen compartida"}},
      {"share.prompt", {"Prompt", "Instrucción"}},
      {"share.made_with", {"Made with Nano Banana", "Hecho con Nano Banana"}},
      {"field.file_required",
       {"Attach one picture in the \"file\" field.", "Adjunta una imagen en el campo \"file\"."}},
      {"field.one_file_only", {"Send exactly one file.", "Envía un solo archivo."}},
      {"field.file_empty", {"The file is empty.", "El archivo está vacío."}},
      {"field.not_an_image",
       {"Not a PNG, JPEG, WebP or GIF image.", "No es una imagen PNG, JPEG, WebP o GIF."}},
      {"field.too_many_pixels",
       {"The picture is larger than 40 megapixels.", "La imagen supera los 40 megapíxeles."}},
      {"field.image_damaged",
       {"The picture is damaged or incomplete.", "La imagen está dañada o incompleta."}},
      {"field.single_value", {"Send this field only once.", "Envía este campo una sola vez."}},
      {"field.control_characters",
       {"Must not contain control characters.", "No puede contener caracteres de control."}},
      // Generation (POST /api/images/generate and the reasons a generation ends FAILED).
      {"error.generation_unavailable",
       {"Image generation is not available right now. Nothing was charged.",
        "La generación de imágenes no está disponible ahora mismo. No se cobró nada."}},
      {"error.too_many_generations",
       {"You already have {limit} images being generated. Wait for one to finish.",
        "Ya tienes {limit} imágenes generándose. Espera a que termine alguna."}},
      {"field.unknown_aspect_ratio",
       {"Not a supported aspect ratio.", "No es una relación de aspecto admitida."}},
      {"field.reference_ids_list",
       {"Must be a list of image ids.", "Debe ser una lista de identificadores de imagen."}},
      {"field.too_many_references",
       {"Use at most 14 reference images.", "Usa como máximo 14 imágenes de referencia."}},
      {"field.unknown_model", {"This model is not offered.", "Este modelo no está disponible."}},
      {"field.image_size_unsupported",
       {"The chosen model does not make this size (sizes are written 0.5K, 1K, 2K or 4K).",
        "El modelo elegido no genera este tamaño (los tamaños se escriben 0.5K, 1K, 2K o 4K)."}},
      {"field.aspect_ratio_unsupported",
       {"The chosen model does not offer this aspect ratio.",
        "El modelo elegido no ofrece esta relación de aspecto."}},
      {"field.too_many_references_for_model",
       {"The chosen model takes fewer reference images.",
        "El modelo elegido admite menos imágenes de referencia."}},
      {"field.grounding_unsupported",
       {"The chosen model cannot ground images in Google Search.",
        "El modelo elegido no puede basar imágenes en la Búsqueda de Google."}},
      {"field.thinking_unsupported",
       {"The chosen model does not take this thinking level.",
        "El modelo elegido no admite este nivel de razonamiento."}},
      {"field.duplicate_reference",
       {"Each reference image may appear only once.",
        "Cada imagen de referencia puede aparecer una sola vez."}},
      {"field.reference_not_found",
       {"A reference image does not exist in your gallery.",
        "Una imagen de referencia no existe en tu galería."}},
      {"field.reference_not_ready",
       {"A reference image is not finished yet.", "Una imagen de referencia todavía no está terminada."}},
      {"field.reference_format",
       {"Reference images must be PNG, JPEG or WebP.",
        "Las imágenes de referencia deben ser PNG, JPEG o WebP."}},
      {"field.references_too_large",
       {"The reference images are too large together (20 MB at most).",
        "Las imágenes de referencia son demasiado grandes en conjunto (20 MB como máximo)."}},
      {"generation.prompt_blocked",
       {"The prompt was blocked by the image model's safety filters. Your coins were refunded.",
        "Los filtros de seguridad del modelo bloquearon la descripción. Te devolvimos las monedas."}},
      {"generation.image_blocked",
       {"The image was blocked by the image model's safety filters. Your coins were refunded.",
        "Los filtros de seguridad del modelo bloquearon la imagen. Te devolvimos las monedas."}},
      {"generation.recitation",
       {"The image was too close to existing protected content. Your coins were refunded.",
        "La imagen se parecía demasiado a contenido protegido existente. Te devolvimos las monedas."}},
      {"generation.no_image",
       {"The model did not return an image. Try rephrasing the prompt. Your coins were refunded.",
        "El modelo no devolvió ninguna imagen. Prueba a reformular la descripción. Te devolvimos las "
        "monedas."}},
      {"generation.invalid_request",
       {"The image model rejected the request. Your coins were refunded.",
        "El modelo de imágenes rechazó la solicitud. Te devolvimos las monedas."}},
      {"generation.provider_config",
       {"The image service is not configured correctly. Your coins were refunded.",
        "El servicio de imágenes no está bien configurado. Te devolvimos las monedas."}},
      {"generation.provider_busy",
       {"The image service is overloaded. Your coins were refunded; please try again later.",
        "El servicio de imágenes está saturado. Te devolvimos las monedas; inténtalo más tarde."}},
      {"generation.provider_unavailable",
       {"The image service is unavailable. Your coins were refunded; please try again later.",
        "El servicio de imágenes no está disponible. Te devolvimos las monedas; inténtalo más tarde."}},
      {"generation.provider_error",
       {"The image service returned an unusable answer. Your coins were refunded.",
        "El servicio de imágenes devolvió una respuesta inservible. Te devolvimos las monedas."}},
      {"generation.request_too_large",
       {"The reference images are too large to send. Your coins were refunded.",
        "Las imágenes de referencia son demasiado grandes para enviarlas. Te devolvimos las monedas."}},
      {"generation.reference_missing",
       {"A reference image was deleted before the generation ran. Your coins were refunded.",
        "Se eliminó una imagen de referencia antes de generar. Te devolvimos las monedas."}},
      {"generation.unavailable",
       {"Image generation is not available. Your coins were refunded.",
        "La generación de imágenes no está disponible. Te devolvimos las monedas."}},
      {"generation.timed_out",
       {"The generation took too long and was stopped. Your coins were refunded.",
        "La generación tardó demasiado y se detuvo. Te devolvimos las monedas."}},
      {"generation.deleted",
       {"The image was deleted before it was finished. Your coins were refunded.",
        "La imagen se eliminó antes de terminarse. Te devolvimos las monedas."}},
      {"generation.internal",
       {"Something went wrong on our side. Your coins were refunded.",
        "Algo salió mal de nuestro lado. Te devolvimos las monedas."}},
  };
  return table;
}

}  // namespace

std::vector<std::string> MessageKeys() {
  std::vector<std::string> keys;
  for (const auto& [key, text] : Table()) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

bool IsSupportedLanguage(const std::string& language) {
  const auto& all = SupportedLanguages();
  return std::find(all.begin(), all.end(), language) != all.end();
}

std::string Message(const std::string& key, const std::string& language,
                    const std::map<std::string, std::string>& args) {
  const auto& table = Table();
  auto it = table.find(key);
  std::string text = it == table.end() ? key : (language == "es" ? it->second.es : it->second.en);
  for (const auto& [name, value] : args) {
    const std::string placeholder = "{" + name + "}";
    for (size_t pos = text.find(placeholder); pos != std::string::npos; pos = text.find(placeholder, pos)) {
      text.replace(pos, placeholder.size(), value);
      pos += value.size();
    }
  }
  return text;
}

std::string PickLanguage(const std::string& user_language, const std::string& accept_language) {
  if (IsSupportedLanguage(user_language)) return user_language;
  // Accept-Language: "es-MX,es;q=0.9,en;q=0.8" — take the highest q among supported primaries.
  std::string best = "en";
  double best_q = -1;
  size_t pos = 0;
  while (pos < accept_language.size()) {
    size_t comma = accept_language.find(',', pos);
    if (comma == std::string::npos) comma = accept_language.size();
    std::string part = accept_language.substr(pos, comma - pos);
    pos = comma + 1;
    double q = 1.0;
    if (size_t semi = part.find(';'); semi != std::string::npos) {
      if (size_t qpos = part.find("q=", semi); qpos != std::string::npos)
        q = std::strtod(part.c_str() + qpos + 2, nullptr);
      part = part.substr(0, semi);
    }
    part.erase(0, part.find_first_not_of(' '));
    std::string primary = part.substr(0, part.find('-'));
    std::transform(primary.begin(), primary.end(), primary.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    primary.erase(primary.find_last_not_of(' ') + 1);
    if (IsSupportedLanguage(primary) && q > 0 && q > best_q) {  // q=0 means "not acceptable"
      best = primary;
      best_q = q;
    }
  }
  return best;
}

}  // namespace nb::i18n
