#include "http/messages.h"

#include <algorithm>
#include <cstdlib>
#include <unordered_map>

namespace nb::http {
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
      {"code.CONFLICT", {"That conflicts with the current state.", "Eso entra en conflicto con el estado actual."}},
      {"code.PAYLOAD_TOO_LARGE", {"The request body is too large.", "El cuerpo de la solicitud es demasiado grande."}},
      {"code.UNSUPPORTED_MEDIA_TYPE", {"Unsupported media type.", "Tipo de contenido no admitido."}},
      {"code.RANGE_NOT_SATISFIABLE", {"The requested range is not available.", "El rango solicitado no está disponible."}},
      {"code.INSUFFICIENT_COINS", {"You do not have enough coins.", "No tienes suficientes monedas."}},
      {"code.RATE_LIMITED", {"Too many requests. Try again later.", "Demasiadas solicitudes. Inténtalo más tarde."}},
      {"code.INTERNAL", {"Something went wrong on our side.", "Algo salió mal de nuestro lado."}},
      {"code.SERVICE_UNAVAILABLE", {"The service is temporarily unavailable.", "El servicio no está disponible temporalmente."}},
      {"error.route_not_found", {"No such endpoint.", "Ese recurso no existe."}},
      {"error.json_malformed", {"The body is not valid JSON.", "El cuerpo no es JSON válido."}},
      {"error.json_not_object", {"The body must be a JSON object.", "El cuerpo debe ser un objeto JSON."}},
      {"error.json_content_type", {"Send the body as application/json.", "Envía el cuerpo como application/json."}},
      {"error.body_too_large", {"The body is larger than {limit} bytes.", "El cuerpo supera los {limit} bytes."}},
      {"error.cross_origin", {"This request must come from the app itself.", "Esta solicitud debe venir de la propia aplicación."}},
      {"error.google_not_configured", {"Google sign-in is not configured here.", "El inicio de sesión con Google no está configurado aquí."}},
      {"error.sign_in_cancelled", {"Sign-in was cancelled.", "Se canceló el inicio de sesión."}},
      {"error.sign_in_state", {"This sign-in link is invalid or expired. Please start again.", "Este enlace de inicio de sesión no es válido o caducó. Vuelve a empezar."}},
      {"error.sign_in_token", {"Google could not confirm who you are. Please try again.", "Google no pudo confirmar tu identidad. Inténtalo de nuevo."}},
      {"error.email_taken", {"This email already belongs to another Google account.", "Este correo ya pertenece a otra cuenta de Google."}},
      {"error.bad_limit", {"limit must be a whole number from 1 to 100.", "limit debe ser un número entero entre 1 y 100."}},
      {"error.bad_cursor", {"The page cursor is not valid.", "El cursor de página no es válido."}},
      {"error.bad_idempotency_key", {"The Idempotency-Key header is too long.", "El encabezado Idempotency-Key es demasiado largo."}},
      {"error.balance_negative", {"That would make the balance negative.", "Eso dejaría el saldo en negativo."}},
      {"error.idempotency_reused", {"This Idempotency-Key was already used for a different request.", "Esta Idempotency-Key ya se usó para otra solicitud."}},
      {"error.last_admin", {"The last admin cannot lose the admin role.", "El último administrador no puede perder su rol."}},
      {"field.invalid_email", {"Not a valid email address.", "No es un correo electrónico válido."}},
      {"field.unsupported_language", {"Unsupported language.", "Idioma no admitido."}},
      {"field.out_of_range", {"Out of range.", "Fuera de rango."}},
      {"field.must_be_nonzero", {"Must not be zero.", "No puede ser cero."}},
      {"field.roles_list", {"Must be a list of roles.", "Debe ser una lista de roles."}},
      {"field.unknown_role", {"Unknown role.", "Rol desconocido."}},
      {"field.required", {"This field is required.", "Este campo es obligatorio."}},
      {"field.must_be_string", {"Must be text.", "Debe ser texto."}},
      {"field.must_be_integer", {"Must be an integer.", "Debe ser un número entero."}},
      {"field.too_long", {"Too long.", "Demasiado largo."}},
  };
  return table;
}

}  // namespace

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
      if (size_t qpos = part.find("q=", semi); qpos != std::string::npos) q = std::strtod(part.c_str() + qpos + 2, nullptr);
      part = part.substr(0, semi);
    }
    part.erase(0, part.find_first_not_of(' '));
    std::string primary = part.substr(0, part.find('-'));
    std::transform(primary.begin(), primary.end(), primary.begin(), [](unsigned char c) { return std::tolower(c); });
    primary.erase(primary.find_last_not_of(' ') + 1);
    if (IsSupportedLanguage(primary) && q > best_q) {
      best = primary;
      best_q = q;
    }
  }
  return best;
}

}  // namespace nb::http
