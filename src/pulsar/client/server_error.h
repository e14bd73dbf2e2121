#pragma once
// Broker errors (ServerError codes in ERROR, SEND_ERROR, LOOKUP and other responses) as our Error: the code
// decides retry vs fail, `type` carries the broker's name for the error ("TopicNotFound"), the message carries
// the broker's own text. Pure functions.
//
//   retried with backoff: UnknownError, MetadataError, PersistenceError, ServiceNotReady,
//                         ProducerBlockedQuotaExceededError, TooManyRequests, TransactionCoordinatorNotFound
//   fatal:                AuthenticationError, AuthorizationError, TopicTerminatedError, InvalidTopicName,
//                         IncompatibleSchema, NotAllowedError, ProducerFenced, ...
//   ConsumerBusy / ProducerBusy are fatal when creating a consumer/producer (kConflict) but retried by the
//   reconnect loop of one that already exists (the broker may not yet have dropped the old session).

#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace pk::pulsar {

// The ServerError values the client treats specially.
enum class ServerErrorCode : int {
  kUnknownError = 0,
  kMetadataError = 1,
  kPersistenceError = 2,
  kAuthenticationError = 3,
  kAuthorizationError = 4,
  kConsumerBusy = 5,
  kServiceNotReady = 6,
  kProducerBlockedQuotaExceededError = 7,
  kProducerBlockedQuotaExceededException = 8,
  kChecksumError = 9,
  kUnsupportedVersionError = 10,
  kTopicNotFound = 11,
  kSubscriptionNotFound = 12,
  kConsumerNotFound = 13,
  kTooManyRequests = 14,
  kTopicTerminatedError = 15,
  kProducerBusy = 16,
  kInvalidTopicName = 17,
  kIncompatibleSchema = 18,
  kConsumerAssignError = 19,
  kTransactionCoordinatorNotFound = 20,
  kInvalidTxnStatus = 21,
  kNotAllowedError = 22,
  kTransactionConflict = 23,
  kTransactionNotFound = 24,
  kProducerFenced = 25,
};

// The broker's name for a ServerError value ("TopicNotFound"); "ServerError" for values we do not know
// (server_error() then puts "ServerError(<n>)" in Error.type).
std::string_view server_error_name(int code);
ErrorCode server_error_code(int code);
// `context` names what was asked ("subscribe to persistent://public/default/x").
Error server_error(int code, std::string_view broker_message, std::string_view context);

}  // namespace pk::pulsar
