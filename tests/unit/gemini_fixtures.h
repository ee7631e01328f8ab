// Gemini generateContent answers in the shapes Google documents (ai.google.dev/api/generate-content:
// GenerateContentResponse, Candidate, PromptFeedback, UsageMetadata; the google.rpc.Status error
// envelope with ErrorInfo and RetryInfo details), for parser and worker tests.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ports/http_client.h"
#include "util/base64.h"
#include "util/json_text.h"

namespace nb::testing {

inline nlohmann::json GeminiUsage() {
  return {{"promptTokenCount", 14},
          {"candidatesTokenCount", 1290},
          {"totalTokenCount", 1304},
          {"promptTokensDetails", {{{"modality", "TEXT"}, {"tokenCount", 14}}}},
          {"candidatesTokensDetails", {{{"modality", "IMAGE"}, {"tokenCount", 1290}}}}};
}

// A successful image answer: an optional text part, then the image as inlineData.
inline nlohmann::json GeminiImageAnswer(const std::string& image_bytes, const std::string& text = "",
                                        const std::string& mime = "image/png") {
  nlohmann::json parts = nlohmann::json::array();
  if (!text.empty()) parts.push_back({{"text", text}});
  parts.push_back({{"inlineData", {{"mimeType", mime}, {"data", Base64Encode(image_bytes)}}}});
  return {{"candidates",
           {{{"content", {{"parts", parts}, {"role", "model"}}}, {"finishReason", "STOP"}, {"index", 0}}}},
          {"usageMetadata", GeminiUsage()},
          {"modelVersion", "gemini-2.5-flash-image"},
          {"responseId", "ZGVtby1yZXNwb25zZS1pZA"}};
}

// A candidate that stopped for `finish_reason` without any content.
inline nlohmann::json GeminiFinishAnswer(const std::string& finish_reason) {
  return {{"candidates",
           {{{"content", {{"parts", nlohmann::json::array()}, {"role", "model"}}},
             {"finishReason", finish_reason},
             {"index", 0}}}},
          {"usageMetadata", {{"promptTokenCount", 14}, {"totalTokenCount", 14}}},
          {"modelVersion", "gemini-2.5-flash-image"}};
}

// The prompt itself was blocked: no candidates at all.
inline nlohmann::json GeminiBlockedPrompt(const std::string& block_reason) {
  return {{"promptFeedback", {{"blockReason", block_reason}}},
          {"usageMetadata", {{"promptTokenCount", 14}, {"totalTokenCount", 14}}},
          {"modelVersion", "gemini-2.5-flash-image"}};
}

inline nlohmann::json GeminiTextOnly(const std::string& text) {
  return {{"candidates",
           {{{"content", {{"parts", {{{"text", text}}}}, {"role", "model"}}},
             {"finishReason", "STOP"},
             {"index", 0}}}},
          {"usageMetadata", GeminiUsage()},
          {"modelVersion", "gemini-2.5-flash-image"}};
}

// google.rpc.Status as the API renders it: {"error":{"code","message","status","details"}}.
inline nlohmann::json GeminiError(int code, const std::string& status, const std::string& message,
                                  nlohmann::json details = nlohmann::json::array()) {
  return {{"error", {{"code", code}, {"message", message}, {"status", status}, {"details", details}}}};
}

inline nlohmann::json GeminiQuotaError(const std::string& retry_delay) {
  return GeminiError(
      429, "RESOURCE_EXHAUSTED",
      "You exceeded your current quota, please check your plan and billing details.",
      {{{"@type", "type.googleapis.com/google.rpc.QuotaFailure"},
        {"violations",
         {{{"quotaMetric", "generativelanguage.googleapis.com/generate_content_free_tier_requests"},
           {"quotaId", "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"},
           {"quotaDimensions", {{"location", "global"}, {"model", "gemini-2.5-flash-image"}}},
           {"quotaValue", "10"}}}}},
       {{"@type", "type.googleapis.com/google.rpc.Help"},
        {"links",
         {{{"description", "Learn more about Gemini API quotas"},
           {"url", "https://ai.google.dev/gemini-api/docs/rate-limits"}}}}},
       {{"@type", "type.googleapis.com/google.rpc.RetryInfo"}, {"retryDelay", retry_delay}}});
}

inline nlohmann::json GeminiBadKeyError() {
  return GeminiError(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.",
                     {{{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
                       {"reason", "API_KEY_INVALID"},
                       {"domain", "googleapis.com"},
                       {"metadata", {{"service", "generativelanguage.googleapis.com"}}}}});
}

inline HttpResponse GeminiHttp(int status, const nlohmann::json& body, HeaderList headers = {}) {
  HttpResponse r;
  r.status = status;
  r.headers = {{"content-type", "application/json; charset=UTF-8"}};
  r.headers.insert(r.headers.end(), headers.begin(), headers.end());
  r.body = JsonText(body);
  return r;
}

}  // namespace nb::testing
